import { join } from 'node:path';
import { cpSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/backend';
import { seededRandom } from '../../helpers/seed';
import { checkWorld, countWrites, killTrial, watchRun, type KillWorld } from '../../helpers/watch-kills';
import { buildKillWorld } from './kill-world';

// Issue 12 item 5, crash safety: `watch` SIGKILLed at seeded writes finishes on the next run with every
// file processed exactly once (bench/watch-kill.bench.ts runs 30 and more trials).
let world: KillWorld;
let root = '';
let writes = 0;

beforeAll(async () => {
  root = tempDir('gl-watch-kill-');
  world = await buildKillWorld(root);
  writes = countWrites(world, root);
}, 300_000);

describe('watch under SIGKILL', () => {
  it('an uninterrupted pass meets every invariant the trials check', async () => {
    const reg = join(root, 'clean');
    cpSync(world.base, reg, { recursive: true });
    expect(watchRun(reg, world).code).toBe(0);
    expect(await checkWorld(reg, world)).toEqual([]);
    expect(writes).toBeGreaterThan(20);
  }, 300_000);

  it('killed at 4 seeded writes (one in each quarter of the pass), the next run finishes it: nothing twice, nothing skipped', async () => {
    const random = seededRandom('test/backend/loop/watch-kill.test.ts');
    for (let q = 0; q < 4; q++) {
      const k = 1 + Math.floor(((q + random.next()) / 4) * writes);
      random.log(`trial ${q}: kill at write ${k} of ${writes}`);
      const r = await killTrial(world, join(root, 'trials'), q, k);
      expect(r.killed, `kill at write ${k} of ${writes}`).toBe(true);
      expect(r.problems, `kill at write ${k} of ${writes}`).toEqual([]);
    }
  }, 600_000);

  it('killed between the promotion event and the manifest (write 168 of 185 here), the next run does not call the promotion a conflict', async () => {
    // Found by bench/watch-kill: the roll-forward had already moved the alias, and the file was recorded as failed.
    const r = await killTrial(world, join(root, 'trials'), 99, writes - 17);
    expect(r.killed).toBe(true);
    expect(r.problems).toEqual([]);
  }, 300_000);
});
