// Simulator throughput: 1,000,000 rows into memory, then written as CSV.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvChunks } from '../src-main/core/data/csv-write';
import { DEFAULT_START, simulate } from '../src-main/core/data/simulator';

const buildings = 50;
const days = Math.ceil(1_000_000 / (buildings * 24)); // 834 days → 1,000,800 rows
const opts = { buildings, days, seed: 1, anomalyRate: 0.01, drift: 'none' as const, start: DEFAULT_START };

simulate({ ...opts, days: 30 }); // warm-up
const runs: number[] = [];
let rows = 0;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  rows = simulate(opts).rowCount;
  runs.push(performance.now() - t0);
}
const simMs = Math.min(...runs);

const table = simulate(opts);
const dir = await mkdtemp(join(tmpdir(), 'gl-bench-'));
const file = join(dir, 'sim.csv');
const t1 = performance.now();
const out = createWriteStream(file);
for (const chunk of csvChunks(table)) if (!out.write(chunk)) await once(out, 'drain');
out.end();
await once(out, 'finish');
const csvMs = performance.now() - t1;
const { size } = await stat(file);
await rm(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    bench: 'simulate',
    rows,
    simulateMs: Math.round(simMs),
    simulateRowsPerSec: Math.round(rows / (simMs / 1000)),
    targetSimulateRowsPerSec: 1_000_000,
    csvWriteMs: Math.round(csvMs),
    csvRowsPerSec: Math.round(rows / (csvMs / 1000)),
    targetCsvRowsPerSec: 300_000,
    csvBytes: size,
  }),
);
