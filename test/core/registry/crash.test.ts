import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareSemver } from '../../../src-main/core/registry/names';
import { Registry } from '../../../src-main/core/registry/registry';
import { seededRandom } from '../../helpers/seed';
import { HELPERS_DIR, REPO_ROOT } from './helpers/fixtures';
import { tempDir } from './helpers/temp';

const TRIALS = 50;
/** Kill somewhere in this window after the writer starts writing (it commits every few ms). */
const MAX_KILL_DELAY_MS = 300;

interface Writer {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  waitFor: (line: string) => Promise<void>;
  closed: Promise<NodeJS.Signals | null>;
}

/** Starts a writer process; it loads its modules and then waits for `go`. */
function startWriter(dir: string): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HELPERS_DIR, 'writer.ts'), dir], { cwd: REPO_ROOT });
  let out = '';
  let err = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) if (out.includes(`${w.line}\n`)) w.resolve();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  // 'close' (not 'exit'): stdout is drained and the pid is reaped, so it reads as dead.
  const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  const waitFor = (line: string): Promise<void> =>
    new Promise((resolve, reject) => {
      if (out.includes(`${line}\n`)) return resolve();
      waiters.push({ line, resolve });
      void closed.then(() => reject(new Error(`writer ended before "${line}": ${err}`)));
    });
  return { child, output: () => out, waitFor, closed };
}

describe('crash consistency under SIGKILL', () => {
  it(`stays valid across ${TRIALS} kills at random moments`, async () => {
    const random = seededRandom('test/core/registry/crash.test.ts');
    const dir = path.join(await tempDir(), 'reg');
    await Registry.create(dir);
    const committed = new Map<string, string>(); // version → artifact sha256
    let lastPromoted: string | null = null;
    let staleLocks = 0;
    let commitsAfterStale = 0;

    let next = startWriter(dir);
    for (let t = 0; t < TRIALS; t++) {
      const writer = next;
      // Start the next writer now so its start-up overlaps this trial.
      next = startWriter(dir);
      const staleLock = await fs.stat(path.join(dir, '.lock')).then(
        () => true,
        () => false,
      );
      await writer.waitFor('loaded');
      writer.child.stdin.write('go\n');
      await writer.waitFor('ready');
      const delay = random.next() * MAX_KILL_DELAY_MS;
      random.log(`trial ${t}: kill ${delay.toFixed(1)} ms after ready`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      writer.child.kill('SIGKILL');
      expect(await writer.closed).toBe('SIGKILL');

      // A line cut by the kill was never fully reported, so only complete lines count.
      const lines = writer.output().split('\n').slice(0, -1);
      const fresh: string[] = [];
      for (const line of lines) {
        const [kind, version = '', sha = ''] = line.split(' ');
        if (kind === 'committed') {
          committed.set(version, sha);
          fresh.push(version);
        }
        if (kind === 'promoted') lastPromoted = version;
      }
      if (staleLock) {
        staleLocks++;
        commitsAfterStale += fresh.length;
      }

      const registry = await Registry.open(dir);
      const report = await registry.verify();
      expect(
        report.problems.filter((p) => p.severity === 'error'),
        `trial ${t}`,
      ).toEqual([]);
      expect(report.ok).toBe(true);

      const listed = await registry.listVersions('crash', { includeArchived: true }).catch(() => []);
      const listedSha = new Map(listed.map((v) => [v.version, v.artifact.sha256]));
      // Every version any writer reported is still there with its artifact (verify checked every hash)…
      for (const [version, sha] of committed) expect(listedSha.get(version), `trial ${t}: committed ${version}`).toBe(sha);
      // …and this run's versions load through the checked API.
      for (const version of fresh) await expect(registry.loadArtifact('crash', version)).resolves.toBeInstanceOf(Buffer);
      // No half-written version: every folder named like a version is complete and listed.
      const folders = (await fs.readdir(path.join(dir, 'models', 'crash', 'versions')).catch(() => [] as string[])).filter((n) =>
        /^\d+\.\d+\.\d+$/.test(n),
      );
      expect(folders.sort(compareSemver)).toEqual(listed.map((v) => v.version));
      // The alias never lags behind a promotion that was reported done.
      const production = (await registry.manifest()).models.crash?.aliases.production;
      // (Before the first reported promotion any alias, or none, is fine: 0.0.0 ≥ 0.0.0.)
      expect(compareSemver(production ?? '0.0.0', lastPromoted ?? '0.0.0'), `trial ${t}`).toBeGreaterThanOrEqual(0);
    }
    next.child.kill('SIGKILL');
    await next.closed;

    // Dead writers' locks did not block the next writer.
    expect(staleLocks).toBeGreaterThan(0);
    expect(commitsAfterStale).toBeGreaterThan(0);
    expect(committed.size).toBeGreaterThan(TRIALS);

    // The parent, as the next writer, takes over whatever lock the last kill left.
    const registry = await Registry.open(dir);
    const first = [...committed.keys()][0]!;
    expect((await registry.setDescription('crash', first, 'after the storm')).description).toBe('after the storm');
    expect((await registry.verify()).ok).toBe(true);
  }, 90_000);
});
