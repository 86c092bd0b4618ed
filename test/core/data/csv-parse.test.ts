import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../src-main/core/data/csv-write';
import { CsvSyntaxError, CsvTokenizer, detectDelimiter } from '../../../src-main/core/data/csv-parse';

interface Parsed {
  rows: string[][];
  lines: number[];
  delimiter: string | null;
}

/** Tokenizes text fed in pieces of the given sizes (cycled), as a stream would. */
function tokenize(text: string | Buffer, pieces: number[] = [1 << 20], delimiter?: string): Parsed {
  const rows: string[][] = [];
  const lines: number[] = [];
  const t = new CsvTokenizer(
    (row) => {
      rows.push(row.texts());
      lines.push(row.line);
    },
    { delimiter },
  );
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const n = pieces[k % pieces.length]!;
    t.feed(bytes.subarray(at, at + n));
    at += n;
  }
  t.end();
  return { rows, lines, delimiter: t.delimiter };
}

describe('CsvTokenizer', () => {
  it('splits plain rows and ignores the trailing line break', () => {
    expect(tokenize('a,b\n1,2\n3,4\n').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(tokenize('a,b\n1,2').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes', () => {
    const { rows, lines } = tokenize('name,note\n"a,b","say ""hi"""\n"multi\nline",x\nlast,""\n');
    expect(rows).toEqual([
      ['name', 'note'],
      ['a,b', 'say "hi"'],
      ['multi\nline', 'x'],
      ['last', ''],
    ]);
    // Physical lines: the quoted line break moves the next row to line 5.
    expect(lines).toEqual([1, 2, 3, 5]);
  });

  it('handles CRLF, lone CR and empty fields', () => {
    expect(tokenize('a,b\r\n1,\r\n,2\r\n').rows).toEqual([
      ['a', 'b'],
      ['1', ''],
      ['', '2'],
    ]);
    expect(tokenize('a,b\r1,2\r').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(tokenize('a,b\r\n"x\r\ny",2\r\n').rows).toEqual([
      ['a', 'b'],
      ['x\r\ny', '2'],
    ]);
  });

  it('drops a UTF-8 BOM and keeps other UTF-8 text intact', () => {
    const { rows } = tokenize('\ufefftemp_°C,bâtiment\n1,Zürich\n');
    expect(rows).toEqual([
      ['temp_°C', 'bâtiment'],
      ['1', 'Zürich'],
    ]);
  });

  it('detects the delimiter from the header line', () => {
    expect(tokenize('a;b;c\n1;2;3\n')).toMatchObject({
      delimiter: ';',
      rows: [
        ['a', 'b', 'c'],
        ['1', '2', '3'],
      ],
    });
    expect(tokenize('a\tb\n1\t2\n')).toMatchObject({
      delimiter: '\t',
      rows: [
        ['a', 'b'],
        ['1', '2'],
      ],
    });
    expect(tokenize('a|b\n1|2\n').delimiter).toBe('|');
    // Commas inside a quoted header name do not count.
    expect(tokenize('"x,y,z";b\n1;2\n').delimiter).toBe(';');
    expect(tokenize('single\n1\n').delimiter).toBe(',');
    expect(detectDelimiter(Buffer.from('a;b'), false)).toBeNull();
  });

  it('uses a given delimiter instead of detecting', () => {
    expect(tokenize('a;b,c\n1;2,3\n', undefined, ',').rows).toEqual([
      ['a;b', 'c'],
      ['1;2', '3'],
    ]);
    expect(() => new CsvTokenizer(() => {}, { delimiter: '"' })).toThrow(RangeError);
  });

  it('gives the same rows whatever the chunk boundaries (BOM, quotes and CRLF split)', () => {
    const text = '\ufeff"h,1";h2\r\n"a ""b""\r\nc";2\r\n;\r\n"";"x"\r\n';
    const whole = tokenize(text);
    for (const size of [1, 2, 3, 5, 7]) expect(tokenize(text, [size])).toEqual(whole);
    expect(whole.rows).toEqual([
      ['h,1', 'h2'],
      ['a "b"\r\nc', '2'],
      ['', ''],
      ['', 'x'],
    ]);
  });

  it('reports an unterminated quote with the line where it opened', () => {
    const run = (): Parsed => tokenize('a,b\n1,2\n3,"oops\n4,5\n');
    let thrown: unknown;
    try {
      run();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CsvSyntaxError);
    expect(thrown).toMatchObject({ line: 3, field: 1 });
  });

  it('rejects text after a closing quote, naming line and field', () => {
    try {
      tokenize('a,b\n"x"y,2\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CsvSyntaxError);
      expect(error).toMatchObject({ line: 2, field: 0 });
    }
  });

  it('round-trips any table written with csvCell, in any chunking (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '1') });
    const table = fc
      .integer({ min: 1, max: 4 })
      .chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 }));
    fc.assert(
      fc.property(table, fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), (rows, pieces) => {
        // A lone empty cell is a blank line; quote it so it stays a row.
        const text = rows.map((r) => r.map((c) => (r.length === 1 && c === '' ? '""' : csvCell(c))).join(',')).join('\r\n');
        expect(tokenize(text, pieces, ',').rows).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});
