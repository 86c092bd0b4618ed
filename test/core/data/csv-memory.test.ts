import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importCsv } from '../../../src-main/core/data/csv-import';

const ROWS = 2_000_000;
const COLS = 5;
let dir = '';
const cValue = (r: number): number => -((r * 31) % 10_007) / 8;
let path = '';

/**
 * Writes rows of 5 numbers (~40 bytes a row, ~80 MB) in chunks, so the test
 * itself holds no big string. Values are scrambled so the first rows are as
 * wide as the rest, like real readings.
 */
async function writeBigCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('a,b,c,d,e\n');
  for (let start = 0; start < ROWS; start += 50_000) {
    const lines: string[] = [];
    for (let r = start; r < start + 50_000; r++) {
      lines.push(
        `${(((r * 7919) % 100_000) / 100).toFixed(2)},${r % 977},${cValue(r).toFixed(3)},${1_000_000 + r},${((r % 1000) * 1.25).toFixed(2)}`,
      );
    }
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Samples this process's RSS every 2 ms from a worker thread, so peaks inside synchronous parsing are seen. */
function startRssSampler(): { peak(): number; stop(): Promise<number> } {
  const shared = new Float64Array(new SharedArrayBuffer(8));
  shared[0] = process.memoryUsage.rss();
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const peak = new Float64Array(workerData);
     setInterval(() => { const r = process.memoryUsage.rss(); if (r > peak[0]) peak[0] = r; }, 2);`,
    { eval: true, workerData: shared.buffer },
  );
  return { peak: () => shared[0]!, stop: () => worker.terminate() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'greenlens-csv-memory-'));
  path = join(dir, 'big.csv');
  await writeBigCsv(path);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('imports a 2M-row file with memory growth bounded by the typed arrays, not the text', async () => {
  const size = (await stat(path)).size;
  expect(size).toBeGreaterThan(70e6);
  const sampler = startRssSampler();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const before = process.memoryUsage.rss();
  let peakHeapUsed = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  const { table, report } = await importCsv(
    path,
    {},
    {
      progress() {
        peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed);
      },
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  const growth = sampler.peak() - before;
  await sampler.stop();

  expect(table.rowCount).toBe(ROWS);
  expect(report.droppedRows).toBe(0);
  const expectedArrays = ROWS * COLS * 8;
  // Typed arrays plus bounded slack (read buffer, spare capacity, garbage not
  // yet collected), far below the file size.
  expect(growth).toBeLessThan(0.6 * size + expectedArrays);
  // The JS heap holds no per-cell strings: it grows by a few MB, not by rows.
  expect(peakHeapUsed - heapBefore).toBeLessThan(40e6);

  const c = table.columns[2]!;
  expect(c.kind === 'number' && c.values[1_234_567]).toBe(Number(cValue(1_234_567).toFixed(3)));
  const d = table.columns[3]!;
  expect(d.kind === 'number' && d.values[ROWS - 1]).toBe(1_000_000 + ROWS - 1);
});
