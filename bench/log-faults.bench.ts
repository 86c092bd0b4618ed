/**
 * Fault injection on the prediction log: prints one JSON line.
 * The app's worker (one long-lived process with a cached log) and `greenlens score`
 * runs log to one registry; the scores are SIGKILLed at file-changing calls, both
 * by strace (`-e inject=<syscall>:signal=KILL:when=K`, every syscall of KILL_POINTS)
 * and in process at the k-th write under the registry (k = 1 … all, in turn).
 *   kills:    runs killed (target ≥ 200; `npm run bench log-faults -- 40` for fewer)
 *   lost:     acknowledged readings missing from the log at the end (must be 0)
 *   verifyOk: `registry verify` passes, and health and the app count what the log holds
 * Exit code 1 when anything was lost or the views disagree. Needs /usr/bin/strace.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AppWriter,
  createWorld,
  KILL_POINTS,
  scoreKilledAt,
  scoreKilledAtWrite,
  straceUsable,
  summarize,
} from '../test/helpers/log-faults';

const target = Number(process.argv[2] ?? 200);
if (!straceUsable()) {
  console.log(JSON.stringify({ bench: 'log-faults', skipped: 'strace missing or ptrace not permitted' }));
  process.exit(0);
}
const started = Date.now();
const world = await createWorld(mkdtempSync(path.join(os.tmpdir(), 'gl-bench-faults-')));
const app = new AppWriter(world);
const { calls } = scoreKilledAtWrite(world, 0);
let straceKills = 0;
let writeKills = 0;
for (let i = 0; world.kills < target; i++) {
  await app.append(3 + (i % 9), i % 5 === 4);
  const before = world.kills;
  if (i % 2 === 0) {
    scoreKilledAt(world, KILL_POINTS[(i / 2) % KILL_POINTS.length]!);
    straceKills += world.kills - before;
  } else {
    scoreKilledAtWrite(world, 1 + (((i - 1) / 2) % calls));
    writeKills += world.kills - before;
  }
  await app.append(2);
  if (i % 10 === 9) scoreKilledAt(world, null);
}
const s = await summarize(world, app);
app.close();
const agree = s.appCount === s.logCount && s.healthCount === s.modelCount;
console.log(
  JSON.stringify({
    bench: 'log-faults',
    kills: s.kills,
    straceKills,
    writeKills,
    writesPerScore: calls,
    runs: s.runs,
    ackedRequests: s.ackedRequests,
    lost: s.lost,
    logCount: s.logCount,
    appCount: s.appCount,
    healthCount: s.healthCount,
    verifyOk: s.verifyOk,
    verifyProblems: s.verifyProblems,
    viewsAgree: agree,
    seconds: Math.round((Date.now() - started) / 1000),
  }),
);
process.exit(s.lost === 0 && s.verifyOk && agree ? 0 : 1);
