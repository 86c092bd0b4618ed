import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMMA,
  DATE_DMY,
  DATE_ISO,
  DATE_MDY,
  daysFromCivil,
  DOT,
  isMissingText,
  parseNumberBytes,
  parseNumberText,
  parseTimestampBytes,
  parseTimestampText,
  readCellText,
  type DateOrder,
} from '../../../src-main/core/data/csv-cells';

describe('parseNumberText', () => {
  it('is bit-identical to Number() for plain decimals (property)', () => {
    const decimal = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^\d{1,18}$/),
        fc.option(fc.stringMatching(/^\d{0,18}$/)),
        fc.option(fc.integer({ min: -30, max: 30 })),
      )
      .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : '.' + frac}${exp === null ? '' : 'e' + exp}`);
    fc.assert(
      fc.property(decimal, (text) => {
        expect(Object.is(parseNumberText(text), Number(text))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips every double printed by String() (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        // String(-0) is "0", so -0 comes back as 0.
        expect(parseNumberText(String(x))).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts exotic but numeric forms and rejects the rest', () => {
    expect(parseNumberText('.5')).toBe(0.5);
    expect(parseNumberText('+3')).toBe(3);
    expect(parseNumberText('1.')).toBe(1);
    expect(parseNumberText(' 2.5 ')).toBe(2.5);
    expect(parseNumberText('1E3')).toBe(1000);
    expect(parseNumberText('true')).toBe(1);
    expect(parseNumberText('FALSE')).toBe(0);
    for (const bad of ['', '-', '.', 'abc', '1,5', '1e', '0x10', 'Infinity', '1e400', '12kW', 'NaN']) {
      expect(parseNumberText(bad), bad).toBeNaN();
    }
  });

  it('knows the missing-value tokens', () => {
    for (const t of ['', '  ', 'NA', 'n/a', '#N/A', 'NaN', 'null', 'None']) expect(isMissingText(t), t).toBe(true);
    for (const t of ['0', 'x', 'missing?']) expect(isMissingText(t), t).toBe(false);
  });
});

describe('parseTimestampText', () => {
  it('matches Date.parse for zoned ISO datetimes (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString();
        expect(parseTimestampText(iso)).toEqual({ ms: d.getTime(), hasZone: true });
      }),
    );
  });

  it('reads dates, offsets and zone-less times (as UTC)', () => {
    expect(parseTimestampText('2025-01-06')).toEqual({ ms: Date.UTC(2025, 0, 6), hasZone: false });
    expect(parseTimestampText('2025-01-06 13:45').ms).toBe(Date.UTC(2025, 0, 6, 13, 45));
    expect(parseTimestampText('2025-01-06T13:45:30').ms).toBe(Date.UTC(2025, 0, 6, 13, 45, 30));
    expect(parseTimestampText('2025-01-06T13:45:30.1234Z').ms).toBe(Date.UTC(2025, 0, 6, 13, 45, 30, 123));
    expect(parseTimestampText('2025-01-06T13:45:30+02:00')).toEqual({ ms: Date.UTC(2025, 0, 6, 11, 45, 30), hasZone: true });
    expect(parseTimestampText('2025-01-06T13:45-0530').ms).toBe(Date.UTC(2025, 0, 6, 19, 15));
    expect(parseTimestampText('2025-01-06T13:45:00+01').ms).toBe(Date.UTC(2025, 0, 6, 12, 45));
    expect(parseTimestampText('2024-02-29').ms).toBe(Date.UTC(2024, 1, 29));
  });

  it('rejects impossible or non-ISO values', () => {
    for (const bad of [
      '2025-02-29',
      '2025-13-01',
      '2025-01-32',
      '2025-01-06T24:00',
      '2025-01-06T10:61',
      '06/01/2025',
      '2025-1-6',
      '2025-01-06T10',
      '2025-01-06Tx',
      '20250106',
      '1234',
      '2025-01-06T10:00:00Zjunk',
    ]) {
      expect(parseTimestampText(bad).ms, bad).toBeNaN();
    }
  });

  it('counts days like Date.UTC, including years before 100', () => {
    for (const [y, m, d] of [
      [1970, 1, 1],
      [2000, 2, 29],
      [1969, 12, 31],
      [2400, 3, 1],
    ] as const) {
      expect(daysFromCivil(y, m, d) * 86_400_000).toBe(Date.UTC(y, m - 1, d));
    }
    const year50 = new Date(0);
    year50.setUTCFullYear(50, 0, 1);
    expect(daysFromCivil(50, 1, 1) * 86_400_000).toBe(year50.getTime());
  });
});

describe('cells given as text (encoded into one reused buffer)', () => {
  it('parse exactly as their bytes do, whatever longer or multi-byte cell came before', () => {
    const texts = [
      `${'0'.repeat(1000)}12.25`,
      '3.5',
      '3.5 €',
      'Zürich ☃ 😀',
      '7',
      '2025-03-04T05:06:07Z',
      '-0.125',
      `2025-03-04${' '.repeat(400)}`,
      `2025-03-04 ${'x'.repeat(400)}`,
      '2025-03-04',
      '04/03/2025',
    ];
    for (const text of [...texts, ...[...texts].reverse()]) {
      const utf8 = Buffer.from(text, 'utf8');
      const latin1 = Buffer.from(text, 'latin1');
      expect(Object.is(parseNumberText(text), parseNumberBytes(utf8, 0, utf8.length))).toBe(true);
      expect(parseTimestampText(text)).toEqual(parseTimestampBytes(latin1, 0, latin1.length));
      expect(parseTimestampText(text, DATE_DMY)).toEqual(parseTimestampBytes(latin1, 0, latin1.length, DATE_DMY));
    }
    expect(parseNumberText(texts[0]!)).toBe(12.25);
    expect(parseTimestampText('2025-03-04T05:06:07Z').ms).toBe(Date.UTC(2025, 2, 4, 5, 6, 7));
  });
});

describe('readCellText (a sampled cell as a number and as a time, encoded once when ASCII)', () => {
  const both = (text: string, decimal: typeof DOT | typeof COMMA, order: DateOrder): [number, number] => [
    parseNumberText(text, decimal),
    parseTimestampText(text, order).ms,
  ];
  const read = (text: string, decimal: typeof DOT | typeof COMMA, order: DateOrder): [number, number] => {
    const r = readCellText(text, decimal, order);
    return [r.number, r.timeMs];
  };

  it('reads known cells as parseNumberText and parseTimestampText do, ASCII or not', () => {
    const cells = [
      '23.5',
      '-0.25',
      '1,5',
      '1.234,5',
      '2026-06-01T10:00:00Z',
      '2026-06-01 10:00',
      '01.06.2026 10:00',
      '06/01/2026',
      '1764583200',
      ' 42 ',
      'NaN',
      'true',
      '',
      '25 °C',
      'é',
      'ﬁ1',
      '日本',
      '\ud800',
      '２０２６-06-01',
      '2026-06-01T10:00:00+02:00',
    ];
    for (const decimal of [DOT, COMMA] as const)
      for (const order of [DATE_ISO, DATE_DMY, DATE_MDY] as const)
        for (const c of cells) expect(read(c, decimal, order), `${JSON.stringify(c)} ${decimal} ${order}`).toEqual(both(c, decimal, order));
    expect(read('2026-06-01T00:00:00Z', DOT, DATE_ISO)).toEqual([NaN, Date.UTC(2026, 5, 1)]);
    expect(read('12.5', DOT, DATE_ISO)).toEqual([12.5, NaN]);
  });

  it('agrees with both for any text (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.double().map(String)), (text) => {
        const a = read(text, DOT, DATE_ISO);
        const b = both(text, DOT, DATE_ISO);
        return Object.is(a[0], b[0]) && Object.is(a[1], b[1]);
      }),
      { numRuns: 5_000, seed: 20_261_201 },
    );
  });
});
