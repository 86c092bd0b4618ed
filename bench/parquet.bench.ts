/**
 * Parquet import benchmark: `npx tsx bench/parquet.bench.ts [--rows N]`.
 *
 * 1,000,000 rows × 10 DOUBLE columns (target < 2 s), read by the importer
 * (schema inference, then row group by row group into typed columns), in
 * three layouts: as GreenLens writes it (`score --out`: uncompressed,
 * REQUIRED columns), Snappy with REQUIRED columns, and Snappy with OPTIONAL
 * (nullable) columns as pandas/pyarrow write by default. Also times the writer.
 * Prints one JSON object.
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { importParquet } from '../src-main/core/data/parquet-import';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { tableToParquet } from '../src-main/core/data/parquet-write';
import type { Column } from '../src-main/core/data/table';

function makeRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--rows');
  const rows = at >= 0 ? Number(process.argv[at + 1]) : 1_000_000;
  const rand = makeRandom(42);
  const columns: Column[] = Array.from({ length: 10 }, (_, c) => ({
    name: `x${c}`,
    kind: 'number' as const,
    values: Float64Array.from({ length: rows }, () => Math.round((rand() * 2000 - 1000) * 10 ** ((c % 4) + 1)) / 10 ** ((c % 4) + 1)),
  }));
  const dir = await mkdtemp(join(tmpdir(), 'greenlens-parquet-bench-'));
  try {
    const w0 = performance.now();
    const own = tableToParquet({ rowCount: rows, columns });
    const writeMs = performance.now() - w0;
    const data = (nullable: boolean) =>
      columns.map((c) => ({ name: c.name, data: c.kind === 'number' ? c.values : [], type: 'DOUBLE' as const, nullable }));
    const layouts: Record<string, Uint8Array> = {
      greenlens: own,
      snappyRequired: new Uint8Array(parquetWriteBuffer({ columnData: data(false), rowGroupSize: 100_000 })),
      snappyOptional: new Uint8Array(parquetWriteBuffer({ columnData: data(true), rowGroupSize: 100_000 })),
    };
    const results: Record<string, { bytes: number; importMs: number[]; cpuMs: number[]; bestMs: number; rowsPerSecond: number }> = {};
    const loadAtStart = loadavg().map((l) => +l.toFixed(1));
    for (const [name, bytes] of Object.entries(layouts)) {
      const file = join(dir, `${name}.parquet`);
      await writeFile(file, bytes);
      global.gc?.();
      const runs: number[] = [];
      const cpu: number[] = [];
      for (let k = 0; k < 3; k++) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const { table } = await importParquet(file);
        runs.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push(Math.round((c.user + c.system) / 1000));
        if (table.rowCount !== rows) throw new Error(`${name}: imported ${table.rowCount} rows, expected ${rows}`);
      }
      const best = Math.min(...runs);
      results[name] = {
        bytes: (await stat(file)).size,
        importMs: runs.map(Math.round),
        cpuMs: cpu,
        bestMs: Math.round(best),
        rowsPerSecond: Math.round(rows / (best / 1000)),
      };
    }
    console.log(
      JSON.stringify({
        bench: 'parquet-import',
        rows,
        columns: 10,
        layouts: results,
        writeMs: Math.round(writeMs),
        targetMs: 2000,
        pass: Object.values(results).every((r) => r.bestMs < 2000),
        loadAverage: { start: loadAtStart, end: loadavg().map((l) => +l.toFixed(1)) },
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
