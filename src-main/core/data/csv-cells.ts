import { DAY_MS } from '../../contract/shared/time';

/**
 * Cell parsers that read straight from bytes, so importing a million rows
 * does not allocate a million strings. Each has a string twin for callers
 * that already hold text (schema inference, tests).
 */

// Exact powers of ten: an integer below 2^53 multiplied or divided by one of
// these is the correctly rounded value of the decimal (both operands are
// exact and IEEE arithmetic rounds once), i.e. bit-identical to Number(text).
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];
const MAX_FAST_DIGITS = 15;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The decimal separator as a byte: '.' (0x2e) or ',' (0x2c). */
export const DOT = 0x2e;
export const COMMA = 0x2c;
export type DecimalCode = typeof DOT | typeof COMMA;

/**
 * Thousands grouping that may precede the decimal separator: groups of three
 * digits split by one repeated separator (`3,389.9`, `3.389,9`, `1 234 567`,
 * `1'234.5`). A group separator is never the decimal separator itself.
 */
const GROUPED_DOT = /^([+-]?)(\d{1,3}(?:([,'\u00a0\u202f ])\d{3})(?:\3\d{3})*)(\.\d*)?$/;
const GROUPED_COMMA = /^([+-]?)(\d{1,3}(?:([.'\u00a0\u202f ])\d{3})(?:\3\d{3})*)(,\d*)?$/;

/** Cell texts read as a missing value (compared lower-cased and trimmed). */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'na', 'n/a', '#n/a', 'nan', 'null', 'none']);

/**
 * A number from bytes [start, end): NaN when the cell is missing or not a
 * finite decimal. Plain decimals (with an optional exponent) take a fast path
 * without allocating; long mantissas go to Number() on the already validated
 * text; anything else (spaces, true/false) to a slow path. true/false read
 * as 1/0 so boolean columns (labels) are numeric.
 */
export function parseNumberBytes(b: Buffer, start: number, end: number, decimal: DecimalCode = DOT): number {
  let i = start;
  if (i === end) return NaN;
  let neg = false;
  let c = b[i]!;
  if (c === 0x2d) {
    neg = true;
    i++;
  } else if (c === 0x2b) i++;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  for (; i < end; i++) {
    c = b[i]!;
    const d = c - 0x30;
    if (d >= 0 && d <= 9) {
      m = m * 10 + d;
      digits++;
      if (dot) frac++;
    } else if (c === decimal && !dot) dot = true;
    else break;
  }
  if (digits === 0 || (i < end && c !== 0x65 && c !== 0x45)) return parseNumberSlow(b.toString('utf8', start, end), decimal);
  let exp = 0;
  if (i < end) {
    // Only an exponent may follow the mantissa.
    i++;
    let expNeg = false;
    if (i < end && (b[i] === 0x2d || b[i] === 0x2b)) expNeg = b[i++] === 0x2d;
    const from = i;
    for (; i < end; i++) {
      const d = b[i]! - 0x30;
      if (d < 0 || d > 9 || exp > 1e6) return parseNumberSlow(b.toString('utf8', start, end), decimal);
      exp = exp * 10 + d;
    }
    if (i === from) return NaN;
    if (expNeg) exp = -exp;
  }
  const scale = exp - frac;
  if (digits > MAX_FAST_DIGITS || scale > 22 || scale < -22) {
    let text = b.toString('latin1', start, end);
    if (decimal === COMMA) text = text.replace(',', '.');
    const v = Number(text);
    return Number.isFinite(v) ? v : NaN;
  }
  const v = scale >= 0 ? m * POW10[scale]! : m / POW10[-scale]!;
  return neg ? -v : v;
}

/**
 * Cells as text (schema inference parses every sampled cell as a number and as
 * a time) are encoded into this buffer, reused from call to call: a Buffer per
 * cell was most of the inference's cost. Its bytes are read before the next
 * call and never kept.
 */
let textScratch = Buffer.alloc(256);

/** Encodes `text` at the start of textScratch (grown to fit); returns its length in bytes. */
function encodeText(text: string, encoding: 'utf8' | 'latin1'): number {
  // At most 3 UTF-8 bytes per UTF-16 unit.
  if (text.length * 3 > textScratch.length) textScratch = Buffer.alloc(Math.max(text.length * 3, 2 * textScratch.length));
  return textScratch.write(text, 0, encoding);
}

export function parseNumberText(text: string, decimal: DecimalCode = DOT): number {
  const n = encodeText(text, 'utf8');
  return parseNumberBytes(textScratch, 0, n, decimal);
}

function parseNumberSlow(text: string, decimal: DecimalCode): number {
  let t = text.trim();
  const grouped = (decimal === COMMA ? GROUPED_COMMA : GROUPED_DOT).exec(t);
  if (grouped) t = `${grouped[1]}${grouped[2]!.split(grouped[3]!).join('')}${(grouped[4] ?? '').replace(',', '.')}`;
  else if (decimal === COMMA) {
    // Only a comma is a decimal point here: "1.5" is not a number in a comma-decimal file.
    if (t.includes('.')) return NaN;
    t = t.replace(',', '.');
  }
  if (DECIMAL.test(t)) {
    const v = Number(t);
    return Number.isFinite(v) ? v : NaN;
  }
  const lower = t.toLowerCase();
  if (lower === 'true') return 1;
  if (lower === 'false') return 0;
  return NaN;
}

/** True when the cell is empty, blank or a missing-value token like NA or null. */
export function isMissingBytes(b: Buffer, start: number, end: number): boolean {
  // Missing tokens are short; longer cells cannot be one.
  if (end - start > 16) return isBlankBytes(b, start, end);
  return isMissingText(b.toString('latin1', start, end));
}

export function isMissingText(text: string): boolean {
  return MISSING_TOKENS.has(text.trim().toLowerCase());
}

export function isBlankBytes(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

/** Result flag of the last timestamp parse: whether it carried a zone. */
export interface TimestampParse {
  /** Epoch ms, NaN when the text is not an ISO 8601 date or datetime. */
  ms: number;
  hasZone: boolean;
}

const scratch: TimestampParse = { ms: NaN, hasZone: false };

/** Order of a date's fields: ISO year-month-day, or day/month/year, or month/day/year. */
export const DATE_ISO = 0;
export const DATE_DMY = 1;
export const DATE_MDY = 2;
export type DateOrder = typeof DATE_ISO | typeof DATE_DMY | typeof DATE_MDY;

/**
 * ISO 8601 `YYYY-MM-DD` (or, by `order`, `DD.MM.YYYY` / `MM/DD/YYYY` with
 * `.`, `/` or `-` between one- or two-digit fields), optionally followed by
 * `T` or a space and `HH:MM[:SS[.fff…]]` and a zone `Z`, `±HH:MM`, `±HHMM`
 * or `±HH` (a space may precede the zone).
 * A datetime without a zone is read as UTC, so the same file gives the same
 * table on every machine. Fractions beyond milliseconds are truncated, as
 * Date.parse does. Reuses one result object: copy the fields before the next call.
 */
export function parseTimestampBytes(b: Uint8Array, start: number, end: number, order: DateOrder = DATE_ISO): TimestampParse {
  const out = scratch;
  out.ms = NaN;
  out.hasZone = false;
  let i = start;
  while (i < end && b[i] === 0x20) i++;
  while (end > i && b[end - 1] === 0x20) end--;
  let y: number;
  let mo: number;
  let d: number;
  if (order === DATE_ISO) {
    if (end - i < 10) return out;
    y = digits(b, i, 4, end);
    mo = digits(b, i + 5, 2, end);
    d = digits(b, i + 8, 2, end);
    if (y < 0 || b[i + 4] !== 0x2d || b[i + 7] !== 0x2d) return out;
    i += 10;
  } else {
    const first = shortField(b, i, end);
    if (first < 0) return out;
    const sep = b[i + (first >> 8)];
    if (sep !== 0x2e && sep !== 0x2f && sep !== 0x2d) return out;
    i += (first >> 8) + 1;
    const second = shortField(b, i, end);
    if (second < 0 || b[i + (second >> 8)] !== sep) return out;
    i += (second >> 8) + 1;
    y = digits(b, i, 4, end);
    if (y < 0) return out;
    i += 4;
    d = order === DATE_DMY ? first & 0xff : second & 0xff;
    mo = order === DATE_DMY ? second & 0xff : first & 0xff;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return out;
  let h = 0;
  let mi = 0;
  let s = 0;
  let ms = 0;
  let offsetMin = 0;
  if (i < end) {
    const sep = b[i];
    if (sep !== 0x54 && sep !== 0x74 && sep !== 0x20) return out;
    if (end - i < 6 || b[i + 3] !== 0x3a) return out;
    h = digits(b, i + 1, 2, end);
    mi = digits(b, i + 4, 2, end);
    if (h < 0 || h > 23 || mi < 0 || mi > 59) return out;
    i += 6;
    if (i < end && b[i] === 0x3a) {
      s = digits(b, i + 1, 2, end);
      if (s < 0 || s > 59) return out;
      i += 3;
      if (i < end && (b[i] === 0x2e || b[i] === 0x2c)) {
        i++;
        let n = 0;
        let scale = 100;
        const from = i;
        while (i < end && b[i]! >= 0x30 && b[i]! <= 0x39) {
          n += (b[i]! - 0x30) * scale;
          scale /= 10;
          i++;
        }
        if (i === from) return out;
        ms = Math.floor(n + 1e-9);
      }
    }
    if (i < end && b[i] === 0x20 && (b[i + 1] === 0x2b || b[i + 1] === 0x2d || b[i + 1] === 0x5a)) i++;
    if (i < end) {
      const z = b[i];
      if (z === 0x5a || z === 0x7a) {
        out.hasZone = true;
        i++;
      } else if (z === 0x2b || z === 0x2d) {
        const sign = z === 0x2d ? -1 : 1;
        const oh = digits(b, i + 1, 2, end);
        if (oh < 0 || oh > 23) return out;
        i += 3;
        let om = 0;
        if (i < end) {
          if (b[i] === 0x3a) i++;
          om = digits(b, i, 2, end);
          if (om < 0 || om > 59) return out;
          i += 2;
        }
        offsetMin = sign * (oh * 60 + om);
        out.hasZone = true;
      }
      if (i !== end) return out;
    }
  }
  out.ms = daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi - offsetMin) * 60 + s) * 1000 + ms;
  return out;
}

/**
 * Unix epoch numbers in a time column: below 1e11 they are seconds (1e11 s is
 * the year 5138, 1e11 ms is 1973), else milliseconds. Reading seconds as
 * milliseconds put every reading in January 1970.
 */
export const EPOCH_SECONDS_BELOW = 1e11;
/** Epoch values (seconds) that inference accepts as times: 2000-01-01 to 2100-01-01 UTC. */
export const EPOCH_INFER_RANGE_S = [946_684_800, 4_102_444_800] as const;

export function epochToMs(v: number): { ms: number; unit: 'seconds' | 'milliseconds' } {
  return Math.abs(v) < EPOCH_SECONDS_BELOW ? { ms: v * 1000, unit: 'seconds' } : { ms: v, unit: 'milliseconds' };
}

/** A one- or two-digit field: (length << 8) | value, or -1. */
function shortField(b: Uint8Array, at: number, end: number): number {
  const one = digits(b, at, 1, end);
  if (one < 0) return -1;
  const two = digits(b, at, 2, end);
  return two >= 0 ? (2 << 8) | two : (1 << 8) | one;
}

export function parseTimestampText(text: string, order: DateOrder = DATE_ISO): TimestampParse {
  const n = encodeText(text, 'latin1');
  return parseTimestampBytes(textScratch, 0, n, order);
}

/** What schema inference reads from a sampled cell: it as a number and as a time (NaN where it is not one). */
export interface CellReadings {
  number: number;
  timeMs: number;
}
const cellReadings: CellReadings = { number: NaN, timeMs: NaN };

/**
 * parseNumberText(text, decimal) and parseTimestampText(text, order).ms of one cell, which schema inference asks of
 * every sampled cell, with the cell encoded once when it is ASCII (its UTF-8 and Latin-1 bytes are then the same):
 * the encoding was most of the cost of the inference, on the import's critical path before its first rows. The
 * returned object is reused by the next call.
 */
export function readCellText(text: string, decimal: DecimalCode, order: DateOrder): CellReadings {
  const n = encodeText(text, 'utf8');
  cellReadings.number = parseNumberBytes(textScratch, 0, n, decimal);
  // One byte per UTF-16 unit: every character is ASCII.
  cellReadings.timeMs = n === text.length ? parseTimestampBytes(textScratch, 0, n, order).ms : parseTimestampText(text, order).ms;
  return cellReadings;
}

/** Non-negative integer from exactly n ASCII digits, -1 otherwise. */
function digits(b: Uint8Array, at: number, n: number, end: number): number {
  if (at + n > end) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = b[at + k];
    if (c === undefined || c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's
 * algorithm). Plain arithmetic: no Date object per cell, and no Date.UTC
 * quirk that maps years 0–99 to 1900–1999.
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
