import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CsvTokenizer } from '../../../src-main/core/data/csv-parse';

// Every read and close of the file pumpCsv opens, in order, with the tokenizer's feeds between them.
const events: string[] = [];
vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof import('node:fs/promises')>();
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      const read = handle.read.bind(handle) as (...a: unknown[]) => Promise<{ bytesRead: number; buffer: Buffer }>;
      const close = handle.close.bind(handle);
      return Object.assign(handle, {
        read: async (...a: unknown[]) => {
          events.push('read');
          const r = await read(...a);
          events.push(`got ${r.bytesRead}`);
          return r;
        },
        close: async () => {
          events.push('close');
          return close();
        },
      });
    },
  };
});

const { pumpCsv } = await import('../../../src-main/core/data/csv-source');

let dir = '';
let path = '';
const ROWS = 100;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gl-csv-source-'));
  path = join(dir, 'rows.csv');
  // "a,b\n" then rows "i,i\n": 4 + 10 × 4 + 90 × 6 = 584 bytes.
  await writeFile(path, `a,b\n${Array.from({ length: ROWS }, (_, i) => `${i},${i}`).join('\n')}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function tokenizer(rows: string[]): CsvTokenizer {
  const t = new CsvTokenizer((row) => rows.push(row.texts().join(',')));
  const feed = t.feed.bind(t);
  t.feed = (chunk) => {
    events.push(`feed ${chunk.length}`);
    feed(chunk);
  };
  return t;
}

/** The events of reading chunks of `sizes` bytes one read ahead: each chunk's feed follows the next chunk's read; then the close. */
function readAhead(sizes: number[]): string[] {
  const out = ['read', `got ${sizes[0]}`];
  for (let i = 1; i < sizes.length; i++) out.push('read', `feed ${sizes[i - 1]}`, `got ${sizes[i]}`);
  return [...out, 'close'];
}

describe('pumpCsv reads ahead (the next chunk is read while this one is parsed)', () => {
  it('asks for chunk k+1 before it feeds chunk k, and yields every row once, in order', async () => {
    events.length = 0;
    const rows: string[] = [];
    const r = await pumpCsv(path, tokenizer(rows), { size: 584, highWaterMark: 128 });
    expect(r).toEqual({ bytesRead: 584, complete: true });
    expect(rows).toEqual(['a,b', ...Array.from({ length: ROWS }, (_, i) => `${i},${i}`)]);
    expect(events).toEqual(readAhead([128, 128, 128, 128, 72, 0]));
  });

  it('stopping early lets the read ahead finish before the file is closed', async () => {
    events.length = 0;
    const rows: string[] = [];
    const r = await pumpCsv(path, tokenizer(rows), { size: 584, highWaterMark: 128, done: () => rows.length > 0 });
    expect(r).toEqual({ bytesRead: 128, complete: false });
    expect(events).toEqual(readAhead([128, 128]));
  });

  it('a failure while parsing (a cancel from the progress hook) closes the file after the read ahead, and is what rejects', async () => {
    events.length = 0;
    const cancel = new Error('cancelled');
    await expect(
      pumpCsv(path, tokenizer([]), {
        size: 584,
        highWaterMark: 128,
        progress: (done) => {
          if (done >= 256) throw cancel;
        },
      }),
    ).rejects.toBe(cancel);
    expect(events).toEqual(readAhead([128, 128, 128]));
  });
});
