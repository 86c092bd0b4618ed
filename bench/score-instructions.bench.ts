// Instructions executed by `greenlens score --out` of issue 8's 200,000-row file, counted by valgrind
// (`apt-get install -y valgrind`), with V8's own threads off (`node --single-threaded`: its compiles and
// garbage collection run on the thread that needs them, so they are counted in a repeatable order).
// Why: on these shared 2-core machines the wall time of the same run moves by ±10 % from minute to minute,
// more than most single changes to the scoring path are worth, while this count repeats within ~1 %. It is
// all the work the run does, on every thread: less of it is what a CPU-bound run on 2 cores needs to be
// faster. It is a proxy for comparing builds, not a native count: V8's code under valgrind is not the code it
// runs natively (a plain byte loop counts about 3 times the instructions its native speed allows), and it
// says nothing about how the work is spread over the threads. Confirm a change with score-cli.bench.ts.
// Each round scores a fresh copy of the registry (the log a round leaves would change the next one's work).
import { spawnSync } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { builtCli } from './cli-run';
import { SCORE_ROWS, scoreFixture } from './score-fixture';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const valgrind = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
if (valgrind.status !== 0) {
  console.log(JSON.stringify({ bench: 'score-instructions', skipped: 'valgrind not found: apt-get install -y valgrind' }));
  process.exit(0);
}

const { dir, data, registry } = await scoreFixture();
const counts: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const copy = join(dir, `registry-${round}`);
  await cp(registry, copy, { recursive: true });
  const args = ['score', '--registry', copy, '--data', data, '--out', join(dir, 'scored.csv'), '--json'];
  const run = spawnSync(
    'valgrind',
    ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, '--single-threaded', builtCli, ...args],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(run.stderr);
  if (run.status !== 0 || !refs) throw new Error(`valgrind greenlens ${args.join(' ')} failed (${run.status}): ${run.stderr.slice(-2000)}`);
  counts.push(Number(refs[1]!.replace(/,/g, '')));
  await rm(copy, { recursive: true, force: true });
}
await rm(dir, { recursive: true, force: true });

const sorted = [...counts].sort((a, b) => a - b);
const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
console.log(
  JSON.stringify({
    bench: 'score-instructions',
    rows: SCORE_ROWS,
    rounds: ROUNDS,
    instructions: counts,
    medianInstructions: median,
    // Largest minus smallest count, as a share of the median: how far apart repeated runs land.
    spreadPct: Math.round(((sorted[sorted.length - 1]! - sorted[0]!) / median) * 10_000) / 100,
  }),
);
