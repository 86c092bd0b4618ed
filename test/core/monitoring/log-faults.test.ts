import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/backend';
import { AppWriter, createWorld, scoreKilledAt, scoreKilledAtWrite, straceUsable, summarize } from '../../helpers/log-faults';

/**
 * The app's worker and `greenlens score` runs log to one registry while strace kills
 * the scores at file-changing syscalls. Every acknowledged prediction must survive,
 * and verify, health and the app must agree with the log. bench/log-faults.bench.ts
 * runs the same with hundreds of kills.
 */
const usable = straceUsable();
if (!usable) console.warn('log-faults.test.ts skipped: /usr/bin/strace is missing or cannot trace here (ptrace not permitted).');

let app: AppWriter | null = null;
afterEach(() => {
  app?.close();
  app = null;
});

describe('prediction log under killed writers', () => {
  it.skipIf(!usable)(
    'a score killed while writing the old generation counter does not let the app overwrite saved predictions',
    async () => {
      const world = await createWorld(tempDir('gl-faults-gen-'));
      app = new AppWriter(world);
      const atCounter = { syscall: 'write', when: 1, path: 'predictions/.generation' };
      // Killed right after the counter was truncated, the next writer read "" as 0 and
      // counted up to a generation the app had cached, so the app kept its stale position.
      await app.append(4);
      scoreKilledAt(world, atCounter);
      await app.append(6);
      scoreKilledAt(world, atCounter);
      expect(scoreKilledAt(world, null)).toBe('ok');
      await app.append(5);
      // A counter left non-numeric by hand or by a crash must not matter either.
      writeFileSync(join(world.registry, 'predictions', '.generation'), 'garbage');
      expect(scoreKilledAt(world, null)).toBe('ok');
      await app.append(2);
      const s = await summarize(world, app);
      expect(s.verifyProblems).toEqual([]);
      expect(s).toMatchObject({ lost: 0, verifyOk: true });
      expect(s.appCount).toBe(s.logCount);
      expect(s.healthCount).toBe(s.modelCount);
    },
    120_000,
  );

  it('a score killed at each of its file-changing calls in turn loses no acknowledged prediction', async () => {
    const world = await createWorld(tempDir('gl-faults-sweep-'));
    app = new AppWriter(world);
    const { calls } = scoreKilledAtWrite(world, 0);
    expect(calls).toBeGreaterThanOrEqual(5);
    // Every other call keeps the test short; bench/log-faults.bench.ts walks all of them many times.
    // A score's call count depends on the log it finds (segments to open, a compaction due),
    // so a later run may finish in fewer than k calls: then it must have made fewer than k.
    let killed = 0;
    for (let k = 1; k <= calls; k += 2) {
      await app.append(3 + k, k % 3 === 0);
      const run = scoreKilledAtWrite(world, k);
      if (run.outcome === 'killed') killed++;
      else expect(run.calls, `score not killed at call ${k}`).toBeLessThan(k);
      await app.append(2);
    }
    expect(scoreKilledAtWrite(world, 0).outcome).toBe('ok');
    const s = await summarize(world, app);
    expect(s.kills).toBe(killed);
    // The first calls (opening the log, the first append) come in every run.
    expect(killed).toBeGreaterThanOrEqual(3);
    expect(s.verifyProblems).toEqual([]);
    expect(s).toMatchObject({ lost: 0, verifyOk: true });
    expect(s.appCount).toBe(s.logCount);
    expect(s.healthCount).toBe(s.modelCount);
  }, 300_000);
});
