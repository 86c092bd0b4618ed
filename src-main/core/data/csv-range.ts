import { CsvTokenizer } from './csv-parse';
import { checkOptions, Importer, newTokenizer, type CsvImportOptions, type CsvImportResult } from './csv-import';
import type { CsvRangePlan, CsvRangeResult } from './csv-range-types';
import { chooseEncoding } from './csv-text';

export type { CsvRangePlan, CsvRangeResult } from './csv-range-types';

/**
 * A CSV import split across threads (the threads themselves are the
 * backend's): this thread reads the header and the sample and infers the
 * schema as importCsv does, then the rest of the file is cut at line breaks
 * into ranges that are parsed independently with that schema and appended in
 * order. The table, report and warnings equal importCsv's: categories keep
 * first-seen order, and each range's line numbers are shifted by the lines
 * before it.
 *
 * A cut may land inside a quoted field that holds a line break; the range
 * before it then ends inside a row, which is detected, and the caller imports
 * the file in one pass instead (as it does for any error, so the error is
 * worded and placed exactly as importCsv's).
 */

const LF = 0x0a;
const CR = 0x0d;
/** Bytes handed to a tokenizer at a time: its buffer stays this small instead of holding a copy of the whole range. */
const FEED_BYTES = 1 << 20;

export interface ByteRange {
  from: number;
  to: number;
  /** The range ends at the end of the file (a last row may lack its line break). */
  last: boolean;
}

/** Parses `bytes[from, to)` with a plan from the same file's import. Throws on a bad row (its line counts from the range's start). */
export function parseCsvRange(bytes: Uint8Array, range: ByteRange, plan: CsvRangePlan): CsvRangeResult {
  const importer = Importer.forRange(plan, range.to - range.from);
  const tokenizer = new CsvTokenizer((row) => importer.onRow(row), { delimiter: plan.delimiter, atFileStart: false });
  importer.tokenizer = tokenizer;
  for (let at = range.from; at < range.to; at += FEED_BYTES) tokenizer.feed(bytes.subarray(at, Math.min(range.to, at + FEED_BYTES)));
  const complete = range.last || tokenizer.atRowStart;
  const lines = tokenizer.lineNumber - 1;
  if (range.last) tokenizer.end();
  return { ...importer.rangeColumns(), lines, complete };
}

/**
 * Parses ranges claimed one at a time until none is left; `claim` returns
 * the next unclaimed index (a counter shared by every thread taking part), so
 * a thread that starts late, or runs slower on a loaded machine, simply takes
 * fewer ranges.
 */
export function parseClaimedRanges(
  bytes: Uint8Array,
  ranges: readonly ByteRange[],
  plan: CsvRangePlan,
  claim: () => number,
): { index: number; result: CsvRangeResult }[] {
  const out: { index: number; result: CsvRangeResult }[] = [];
  for (let k = claim(); k < ranges.length; k = claim()) out.push({ index: k, result: parseCsvRange(bytes, ranges[k]!, plan) });
  return out;
}

/** Parses the ranges (in order, each with parseCsvRange or its equivalent on another thread). */
export type RangeParser = (plan: CsvRangePlan, ranges: ByteRange[]) => Promise<CsvRangeResult[]>;

/** Cuts `[from, bytes.length)` into at most `parts` ranges, each ending just after a line feed (the last at the end). */
export function splitAtLines(bytes: Uint8Array, from: number, parts: number): ByteRange[] {
  const ranges: ByteRange[] = [];
  const end = bytes.length;
  let start = from;
  for (let k = 1; k < parts && start < end; k++) {
    const nominal = Math.max(start, from + Math.floor(((end - from) * k) / parts));
    const lf = bytes.indexOf(LF, nominal);
    if (lf < 0 || lf + 1 >= end) break;
    ranges.push({ from: start, to: lf + 1, last: false });
    start = lf + 1;
  }
  ranges.push({ from: start, to: end, last: true });
  return ranges;
}

/**
 * importCsv over a file already in memory, its rows after the sample parsed
 * by `parseRanges` in `parts` ranges. Null when it cannot be split this way
 * (not UTF-8, fewer rows than the sample, a range cut inside a row) or any
 * step failed: the caller then imports in one pass, which also words any error.
 */
export async function importCsvBytes(
  path: string,
  bytes: Uint8Array,
  options: CsvImportOptions,
  parts: number,
  parseRanges: RangeParser,
): Promise<CsvImportResult | null> {
  const label = options.displayName ?? path;
  let importer: Importer;
  try {
    const opts = checkOptions(label, options);
    const choice = chooseEncoding(bytes.subarray(0, opts.highWaterMark), opts.encoding);
    if (choice.encoding !== 'utf-8') return null;
    importer = new Importer(label, bytes.length, opts);
    importer.setEncoding(choice, 1);
    let sampled = false;
    const tokenizer = newTokenizer(label, opts.delimiter, (row) => importer.onRow(row));
    importer.tokenizer = tokenizer;
    importer.afterSample = () => {
      sampled = true;
      tokenizer.stop();
    };
    for (let at = 0; at < bytes.length && !sampled; at += 1 << 16)
      tokenizer.feed(bytes.subarray(at, Math.min(bytes.length, at + (1 << 16))));
    if (!sampled) return null;
    let from = tokenizer.bytesConsumed;
    // A CRLF row's end is counted after its CR; its LF belongs to no row.
    if (bytes[from - 1] === CR && bytes[from] === LF) from++;
    if (from >= bytes.length) return null;
    const results = await parseRanges(importer.plan(), splitAtLines(bytes, from, parts));
    if (!results.every((r) => r.complete)) return null;
    let lineOffset = tokenizer.lineNumber - 1;
    for (const r of results) {
      importer.absorb(r, lineOffset);
      lineOffset += r.lines;
    }
  } catch {
    return null;
  }
  return importer.finish();
}
