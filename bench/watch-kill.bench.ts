/**
 * Crash safety of `greenlens watch` (issue 12): prints one JSON line.
 * A registry with a production model and an inbox (a month that only scores, a
 * month that drifts and makes watch retrain, evaluate and promote, a bad file);
 * each trial SIGKILLs `watch --once` on entering its K-th file-changing call
 * under the registry (K drawn, seeded, from every stratum of the pass), then runs
 * it again to the end and checks: each file done or failed exactly once, its
 * readings in the log exactly once, one challenger and one promotion, `registry
 * verify` OK. `npm run bench watch-kill -- 40 [seed]` for another count.
 *   trials, killed (runs that really died), writes (per clean pass), problems (must be [])
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '../src-main/core/data/rng';
import { countWrites, killTrial } from '../test/helpers/watch-kills';
import { buildKillWorld } from '../test/backend/loop/kill-world';

const trials = Number(process.argv[2] ?? 30);
const seed = Number(process.argv[3] ?? 12);
const started = Date.now();
const root = mkdtempSync(path.join(os.tmpdir(), 'gl-watch-kill-bench-'));
const world = await buildKillWorld(root);
const writes = countWrites(world, root);
const rng = createRng(seed);
const problems: string[] = [];
const ks: number[] = [];
let killed = 0;
for (let t = 0; t < trials; t++) {
  // Stratified: trial t lands in the t-th slice of the pass, so early, middle and late writes are all hit.
  const k = 1 + Math.floor(((t + rng.next()) / trials) * writes);
  ks.push(k);
  const r = await killTrial(world, path.join(root, 'trials'), t, k);
  if (r.killed) killed++;
  for (const p of r.problems) problems.push(`k=${k}: ${p}`);
}
console.log(
  JSON.stringify({
    bench: 'watch-kill',
    trials,
    killed,
    writes,
    seed,
    ks,
    problems,
    seconds: Math.round((Date.now() - started) / 1000),
    load: os.loadavg()[0],
  }),
);
process.exit(problems.length === 0 && killed === trials ? 0 : 1);
