import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GreenLensError } from '../../../src-main/contract/shared/errors';
import { importCsv } from '../../../src-main/core/data/csv-import';
import { CsvLimitError, CsvTokenizer, CSV_MAX_FIELDS, CSV_MAX_LINE_BYTES } from '../../../src-main/core/data/csv-parse';
import { previewCsv } from '../../../src-main/core/data/csv-preview';

/**
 * Caps that keep parsing linear: a row longer than the line cap or wider than
 * the field cap is refused as soon as the cap is passed, without reading on.
 */

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'greenlens-csv-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Feeds chunks until the tokenizer throws; returns the error and how many bytes were fed. */
function feedUntilError(t: CsvTokenizer, chunk: Buffer, maxChunks: number): { error: unknown; fed: number } {
  let fed = 0;
  for (let k = 0; k < maxChunks; k++) {
    try {
      t.feed(chunk);
    } catch (error) {
      return { error, fed: fed + chunk.length };
    }
    fed += chunk.length;
  }
  return { error: null, fed };
}

describe('CSV caps', () => {
  it('uses a 1 MiB line cap and a 10,000-field cap by default', () => {
    expect(CSV_MAX_LINE_BYTES).toBe(1 << 20);
    expect(CSV_MAX_FIELDS).toBe(10_000);
  });

  it('refuses a first line without a break once it passes the cap, before reading further', () => {
    const t = new CsvTokenizer(() => {}, { maxLineBytes: 10_000 });
    const { error, fed } = feedUntilError(t, Buffer.alloc(4096, 'x'), 1000);
    expect(error).toBeInstanceOf(CsvLimitError);
    expect((error as CsvLimitError).message).toBe('the row is longer than 10,000 bytes without a line break (the most one row may hold)');
    // Thrown on the first chunk that crosses the cap, not after the 4 MB on offer.
    expect(fed).toBeLessThanOrEqual(10_000 + 4096);
  });

  it('refuses a long later line with its line number, the delimiter already known', () => {
    const t = new CsvTokenizer(() => {}, { maxLineBytes: 1000 });
    t.feed('a,b\n1,2\n3,');
    const { error, fed } = feedUntilError(t, Buffer.alloc(100, '9'), 100);
    expect((error as CsvLimitError).line).toBe(3);
    expect(fed).toBeLessThanOrEqual(1100);
  });

  it('refuses a header wider than the field cap on the first field past it', () => {
    let rows = 0;
    const t = new CsvTokenizer(() => rows++, { maxFields: 100 });
    const header = Array.from({ length: 100 }, (_, i) => `c${i}`).join(',');
    t.feed(`${header}\n`);
    expect(rows).toBe(1); // exactly the cap is fine
    let error: unknown = null;
    try {
      t.feed(`${header},c100\n`);
    } catch (e) {
      error = e;
    }
    expect((error as CsvLimitError).line).toBe(2);
    expect(() => {
      throw error;
    }).toThrow('the row has more than 100 fields (the most one row may hold)');
  });

  it('names the file and the line in import and preview errors', async () => {
    const wide = join(dir, 'wide.csv');
    await writeFile(wide, Array.from({ length: CSV_MAX_FIELDS + 1 }, (_, i) => `c${i}`).join(',') + '\n1\n');
    for (const read of [() => importCsv(wide), () => previewCsv(wide)]) {
      const error = await read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GreenLensError);
      expect((error as GreenLensError).message).toBe('wide.csv line 1: the row has more than 10,000 fields (the most one row may hold)');
      expect((error as GreenLensError).info.line).toBe(1);
    }
    const flat = join(dir, 'flat.csv');
    await writeFile(flat, Buffer.alloc(3 * CSV_MAX_LINE_BYTES, '7'));
    const error = (await previewCsv(flat).catch((e: unknown) => e)) as GreenLensError;
    expect(error.message).toBe('flat.csv line 1: the row is longer than 1,048,576 bytes without a line break (the most one row may hold)');
    expect(error.info.hint).toContain('line break');
  });

  it('detects the delimiter of a long first line fed byte-wise in linear time', () => {
    // A 110 KB header fed in 16-byte chunks: rescanning the unfinished line per chunk would be ~370M byte visits.
    const header = Buffer.from(Array.from({ length: 9000 }, (_, i) => `column_${i}`).join(';') + '\n1;2\n');
    let width = 0;
    const t = new CsvTokenizer((row) => (width = Math.max(width, row.count)), { maxFields: 10_000 });
    const started = performance.now();
    for (let at = 0; at < header.length; at += 16) t.feed(header.subarray(at, at + 16));
    t.end();
    expect(t.delimiter).toBe(';');
    expect(width).toBe(9000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
