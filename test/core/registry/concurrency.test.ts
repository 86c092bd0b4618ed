import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Registry } from '../../../src-main/core/registry/registry';
import { runHelper } from './helpers/fixtures';
import { tempDir } from './helpers/temp';

type Attempt = { ok: true; version: string; sha256: string } | { ok: false; code: string; message: string };

function attempts(stdout: string): Attempt[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Attempt);
}

async function contend(dir: string, count: number, lockTimeoutMs: number): Promise<Attempt[]> {
  const startAt = String(Date.now() + 2_000);
  const runs = await Promise.all([0, 1].map(() => runHelper('contender.ts', [dir, String(count), String(lockTimeoutMs), startAt])));
  for (const run of runs) {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }
  return runs.flatMap((r) => attempts(r.stdout));
}

async function expectConsistent(dir: string, successes: Extract<Attempt, { ok: true }>[]): Promise<void> {
  const registry = await Registry.open(dir);
  const report = await registry.verify();
  expect(report.problems).toEqual([]);
  const listed = await registry.listVersions('shared');
  // Each success got its own version and it holds that writer's artifact.
  expect(new Set(successes.map((s) => s.version)).size).toBe(successes.length);
  expect(listed.map((v) => v.version).sort()).toEqual(successes.map((s) => s.version).sort());
  for (const s of successes) expect(listed.find((v) => v.version === s.version)?.artifact.sha256).toBe(s.sha256);
}

describe('two processes writing at once', () => {
  it('fail-fast writers either commit in turn or get the "locked by" message', async () => {
    const dir = path.join(await tempDir(), 'reg');
    await Registry.create(dir);
    const all = await contend(dir, 40, 0);
    const successes = all.filter((a): a is Extract<Attempt, { ok: true }> => a.ok);
    const failures = all.filter((a): a is Extract<Attempt, { ok: false }> => !a.ok);
    expect(all).toHaveLength(80);
    expect(successes.length).toBeGreaterThan(0);
    // They did collide (both start at the same instant), so the refusal path was exercised.
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) {
      expect(f.code).toBe('locked');
      expect(f.message).toMatch(/^Registry is locked by pid \d+ on host \S+ since \d{4}-\d\d-\d\dT/);
    }
    await expectConsistent(dir, successes);
  });

  it('waiting writers all succeed, one after the other', async () => {
    const dir = path.join(await tempDir(), 'reg');
    await Registry.create(dir);
    const all = await contend(dir, 25, 10_000);
    expect(all.filter((a) => !a.ok)).toEqual([]);
    await expectConsistent(dir, all as Extract<Attempt, { ok: true }>[]);
    expect(all).toHaveLength(50);
  });
});
