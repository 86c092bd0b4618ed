import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../../src-main/core/registry';
import { versionDir } from '../../src-main/core/registry/versions';
import { clearHealthCache } from '../../src-main/backend/monitoring/health-cache';
import { modelHealth } from '../../src-main/backend/monitoring/health';
import { versionReads } from '../helpers/version-reads';
import { buildFixture, logScenario, MODEL, sinkState, type Fixture } from './monitoring-fixture';

describe('health check cache (version file and drift profile)', () => {
  let root: string;
  let fx: Fixture;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gl-health-cache-'));
    fx = await buildFixture(root, { buildings: 4, days: 28, trees: 10 });
    await logScenario(sinkState(root), fx, 'none', { limit: 1_000 });
    return () => rm(root, { recursive: true, force: true });
  });
  afterEach(() => clearHealthCache());

  it('reads version.json and reference.json once, then not again while they are unchanged', async () => {
    const state = sinkState(root);
    const first = await versionReads(MODEL, () => modelHealth(MODEL, state));
    expect(first.some((f) => f.endsWith('version.json'))).toBe(true);
    expect(first.some((f) => f.endsWith('reference.json'))).toBe(true);
    const second = await versionReads(MODEL, () => modelHealth(MODEL, state));
    expect(second).toEqual([]);
    expect((await modelHealth(MODEL, state)).version).toBe(fx.version);
  });

  it('a new version and an alias change are seen at the next check', async () => {
    const state = sinkState(root);
    expect((await modelHealth(MODEL, state)).version).toBe(fx.version);
    const registry = await Registry.open(root);
    const old = await registry.getVersion(MODEL, fx.version);
    const reference = JSON.parse((await registry.loadReference(MODEL, fx.version)).toString('utf8')) as never;
    const artifact = (await registry.loadArtifact(MODEL, fx.version)).toString('utf8');
    const next = await registry.registerVersion({
      model: MODEL,
      params: old.params,
      metrics: {},
      trainingData: old.trainingData,
      artifact,
      reference,
    });
    expect((await modelHealth(MODEL, state)).version).toBe(next.version);
    await registry.promote(MODEL, fx.version, 'production', { reason: 'test' });
    expect((await modelHealth(MODEL, state)).version).toBe(fx.version);
  });

  it('a damaged reference profile is refused even after it was cached', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gl-health-cache-bad-'));
    try {
      const f = await buildFixture(dir, { buildings: 2, days: 28, trees: 5 });
      const state = sinkState(dir);
      await modelHealth(MODEL, state);
      const file = join(versionDir(dir, MODEL, f.version), 'reference.json');
      const text = await fs.readFile(file, 'utf8');
      await fs.writeFile(file, text.replace('"features"', '"featurez"'));
      await expect(modelHealth(MODEL, state)).rejects.toThrow(/reference\.json|checksum|sha256|damaged|changed/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
