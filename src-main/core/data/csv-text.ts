import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import type { CsvEncodingName } from '../../contract/shared/data';

/**
 * What a CSV's bytes are: the tokenizer reads UTF-8, so every other text
 * encoding is converted chunk by chunk; binary files (gzip, zip, anything
 * with NUL bytes) are refused instead of being shown as a table of garbage.
 */

export type TextEncodingName = Exclude<CsvEncodingName, 'auto'>;

/** The encoding chosen for a file and why (shown in the import review and report). */
export interface EncodingChoice {
  encoding: TextEncodingName;
  bom: boolean;
  inferred: boolean;
  /** One line for the user, e.g. "windows-1252 (not valid UTF-8)". */
  reason: string;
}

/** A file that is not text; `what` says what it looks like. */
export class NotTextError extends Error {
  constructor(readonly what: string) {
    super(`not a text CSV: ${what}`);
    this.name = 'NotTextError';
  }
}

const MAGIC: { bytes: number[]; what: string }[] = [
  { bytes: [0x1f, 0x8b], what: 'it is a gzip archive (unpack it first)' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'it is a zip archive, such as an Excel .xlsx workbook (save it as CSV first)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'it is a PDF document' },
  { bytes: [0x42, 0x5a, 0x68], what: 'it is a bzip2 archive (unpack it first)' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'it is an xz archive (unpack it first)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'it is an old Excel .xls workbook (save it as CSV first)' },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: 'it is a Parquet file' },
];

function startsWith(b: Uint8Array, prefix: number[]): boolean {
  return b.length >= prefix.length && prefix.every((v, i) => b[i] === v);
}

/**
 * Chooses the encoding from the first chunk of the file: a BOM decides
 * (UTF-8, UTF-16 LE/BE); bytes that are valid UTF-8 are UTF-8; otherwise
 * Windows-1252 (what Excel and most BMS tools write on Western Windows).
 * A chosen encoding is used as given, but binary files are refused either way.
 */
export function chooseEncoding(first: Uint8Array, wanted: CsvEncodingName = 'auto'): EncodingChoice {
  for (const m of MAGIC) if (startsWith(first, m.bytes)) throw new NotTextError(m.what);
  const utf16 = startsWith(first, [0xff, 0xfe]) ? 'utf-16le' : startsWith(first, [0xfe, 0xff]) ? 'utf-16be' : null;
  const utf8Bom = startsWith(first, [0xef, 0xbb, 0xbf]);
  if (wanted !== 'auto') {
    if (!wanted.startsWith('utf-16')) refuseNul(first);
    const bom = (wanted === 'utf-8' && utf8Bom) || wanted === utf16;
    return { encoding: wanted, bom, inferred: false, reason: `${wanted} (as chosen)` };
  }
  if (utf16) return { encoding: utf16, bom: true, inferred: true, reason: `${utf16} (byte order mark)` };
  const bomless = utf16WithoutBom(first);
  if (bomless) return { encoding: bomless, bom: false, inferred: true, reason: `${bomless} (every other byte is zero)` };
  refuseNul(first);
  if (utf8Bom) return { encoding: 'utf-8', bom: true, inferred: true, reason: 'utf-8 (byte order mark)' };
  if (isUtf8(first.subarray(0, completeUtf8Length(first)))) return { encoding: 'utf-8', bom: false, inferred: true, reason: 'utf-8' };
  return { encoding: 'windows-1252', bom: false, inferred: true, reason: 'windows-1252 (the bytes are not valid UTF-8)' };
}

function refuseNul(first: Uint8Array): void {
  if (first.indexOf(0) >= 0) throw new NotTextError('it holds binary data (NUL bytes)');
}

/** ASCII text saved as UTF-16 without a BOM: zeros in every other byte. */
function utf16WithoutBom(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZero++;
    if (b[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero >= 0.9 * pairs && evenZero === 0) return 'utf-16le';
  if (evenZero >= 0.9 * pairs && oddZero === 0) return 'utf-16be';
  return null;
}

/** Length without a UTF-8 sequence cut off at the end of the chunk. */
function completeUtf8Length(b: Uint8Array): number {
  const n = b.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const c = b[n - back]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    if (c < 0x80) return n;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return need > back ? n - back : n;
  }
  return n;
}

/** Windows-1252's 0x80–0x9F (the rest of its bytes are Latin-1). Undefined bytes stay as their C1 code. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
].map((c) => String.fromCharCode(c));

/** Converts chunks of the chosen encoding to UTF-8 bytes for the tokenizer; UTF-8 passes through. */
export class TextTranscoder {
  private readonly decoder: TextDecoder | null;

  constructor(private readonly choice: EncodingChoice) {
    const e = choice.encoding;
    // The UTF-16 decoders drop their BOM; a UTF-8 BOM is skipped by the tokenizer.
    this.decoder = e === 'utf-16le' || e === 'utf-16be' ? new TextDecoder(e) : null;
  }

  convert(chunk: Uint8Array): Uint8Array {
    const e = this.choice.encoding;
    if (e === 'utf-8') return chunk;
    const bytes = chunk;
    let text: string;
    if (this.decoder) text = this.decoder.decode(bytes, { stream: true });
    else {
      text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
      if (e === 'windows-1252') text = text.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
    }
    return Buffer.from(text, 'utf8');
  }

  /** Bytes a decoder still holds (e.g. half a UTF-16 code unit) at the end of the file. */
  flush(): Uint8Array {
    return this.decoder ? Buffer.from(this.decoder.decode(), 'utf8') : new Uint8Array(0);
  }
}
