/**
 * CSV import benchmark: `npx tsx bench/csv.bench.ts [--rows N] [--gb] [--keep]`.
 *
 * Default: 1,000,000 rows × 10 numeric columns (target < 2 s).
 * --gb: a ~1 GB file with 4 numeric columns and a long free-text column that
 * the importer drops, to show memory follows rows × kept columns, not bytes.
 * Prints one JSON object.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCsv } from '../src-main/core/data/csv-import';

interface Args {
  rows: number;
  gb: boolean;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const gb = argv.includes('--gb');
  const at = argv.indexOf('--rows');
  const rows = at >= 0 ? Number(argv[at + 1]) : gb ? 5_600_000 : 1_000_000;
  if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows needs a positive integer');
  return { rows, gb, keep: argv.includes('--keep') };
}

/** Deterministic xorshift so runs compare. */
function makeRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const WORDS = ['chiller', 'setpoint', 'override', 'valve', 'sensor', 'weekend', 'holiday', 'boiler', 'meter', 'reading', 'manual', 'check'];

async function writeFile(path: string, rows: number, gb: boolean): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const rand = makeRandom(42);
  const numeric = gb ? 4 : 10;
  const header = Array.from({ length: numeric }, (_, i) => `x${i}`);
  if (gb) header.push('note');
  out.write(header.join(',') + '\n');
  const perChunk = 20_000;
  for (let start = 0; start < rows; start += perChunk) {
    const lines: string[] = [];
    for (let r = start; r < Math.min(rows, start + perChunk); r++) {
      const cells: string[] = [];
      for (let c = 0; c < numeric; c++) cells.push((rand() * 2000 - 1000).toFixed((c % 4) + 1));
      if (gb) {
        // ~150 characters of distinct prose per row.
        let note = `row ${r}:`;
        while (note.length < 150) note += ' ' + WORDS[Math.floor(rand() * WORDS.length)]!;
        cells.push(`"${note}, ok"`);
      }
      lines.push(cells.join(','));
    }
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = await mkdtemp(join(tmpdir(), 'greenlens-csv-bench-'));
  const file = join(dir, 'bench.csv');
  try {
    await writeFile(file, args.rows, args.gb);
    const bytes = (await stat(file)).size;
    global.gc?.();
    const rssBefore = process.memoryUsage.rss();
    let peakRss = rssBefore;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const { table, report } = await importCsv(
      file,
      {},
      {
        progress() {
          peakRss = Math.max(peakRss, process.memoryUsage.rss());
        },
      },
    );
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const mb = (n: number): number => Math.round((n / 2 ** 20) * 10) / 10;
    console.log(
      JSON.stringify({
        rows: table.rowCount,
        columns: table.columns.length,
        droppedColumns: report.droppedColumns,
        bytes,
        ms: Math.round(ms),
        // CPU time of this process: a steadier figure than wall time on a busy machine.
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        rowsPerSec: Math.round(table.rowCount / (ms / 1000)),
        mbPerSec: Math.round(bytes / 2 ** 20 / (ms / 1000)),
        peakRssMb: mb(peakRss),
        rssGrowthMb: mb(peakRss - rssBefore),
        typedArraysMb: mb(table.rowCount * table.columns.length * 8),
      }),
    );
  } finally {
    if (args.keep) console.error(`kept ${file}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
