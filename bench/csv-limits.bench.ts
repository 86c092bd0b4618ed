/**
 * CSV caps benchmark: `npx tsx bench/csv-limits.bench.ts [--mb 300] [--columns 1000000] [--keep]`.
 *
 * Writes a file of one 300 MB line without a line break and a file whose
 * header has 1,000,000 columns, then times how long import and preview take
 * to refuse each (target < 5 s each; both used to take minutes: the
 * delimiter was re-detected over the whole unfinished line on every chunk).
 * Prints one JSON object.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GreenLensError } from '../src-main/contract/shared/errors';
import { importCsv } from '../src-main/core/data/csv-import';
import { previewCsv } from '../src-main/core/data/csv-preview';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const v = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} needs a positive integer`);
  return v;
}

async function writeChunks(path: string, chunks: Iterable<Buffer>): Promise<number> {
  const out = createWriteStream(path);
  for (const c of chunks) if (!out.write(c)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return (await stat(path)).size;
}

function* oneLine(bytes: number): Iterable<Buffer> {
  // No delimiter either, so the line cap (not the field cap) is what refuses it.
  const piece = Buffer.alloc(1 << 20, '0123456789');
  for (let left = bytes; left > 0; left -= piece.length) yield left >= piece.length ? piece : piece.subarray(0, left);
}

function* wideHeader(columns: number): Iterable<Buffer> {
  const per = 10_000;
  for (let c = 0; c < columns; c += per) {
    const names = Array.from({ length: Math.min(per, columns - c) }, (_, i) => `c${c + i}`);
    yield Buffer.from(names.join(',') + (c + per >= columns ? '\n' : ','));
  }
  yield Buffer.from(Array.from({ length: 10 }, () => '1').join(',') + '\n');
}

async function timeRefusal(read: () => Promise<unknown>): Promise<{ ms: number; message: string }> {
  const started = performance.now();
  try {
    await read();
  } catch (error) {
    const ms = Math.round(performance.now() - started);
    if (!(error instanceof GreenLensError)) throw error;
    return { ms, message: error.message };
  }
  throw new Error('expected the file to be refused');
}

const mb = arg('mb', 300);
const columns = arg('columns', 1_000_000);
const dir = await mkdtemp(join(tmpdir(), 'greenlens-csv-limits-'));
try {
  const flat = join(dir, 'one-line.csv');
  const wide = join(dir, 'wide-header.csv');
  const flatBytes = await writeChunks(flat, oneLine(mb << 20));
  const wideBytes = await writeChunks(wide, wideHeader(columns));
  const result = {
    bench: 'csv-limits',
    singleLine: { bytes: flatBytes, import: await timeRefusal(() => importCsv(flat)), preview: await timeRefusal(() => previewCsv(flat)) },
    wideHeader: {
      columns,
      bytes: wideBytes,
      import: await timeRefusal(() => importCsv(wide)),
      preview: await timeRefusal(() => previewCsv(wide)),
    },
    targetMs: 5000,
  };
  const worst = Math.max(
    result.singleLine.import.ms,
    result.singleLine.preview.ms,
    result.wideHeader.import.ms,
    result.wideHeader.preview.ms,
  );
  console.log(JSON.stringify({ ...result, pass: worst < result.targetMs }));
} finally {
  if (!process.argv.includes('--keep')) await rm(dir, { recursive: true, force: true });
}
