import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { GreenLensError, type ErrorInfo } from '../../contract/shared/errors';
import type { CsvEncodingName } from '../../contract/shared/data';
import { CsvLimitError, CsvSyntaxError, type CsvTokenizer } from './csv-parse';
import { chooseEncoding, NotTextError, TextTranscoder, type EncodingChoice } from './csv-text';

/** File access and error wording shared by CSV import and preview. */

type Where = Omit<ErrorInfo, 'code' | 'message' | 'file'>;

/** An invalid-input error that names the file, and the line and column when known. */
export function csvError(file: string, message: string, where: Where = {}): GreenLensError {
  const place = where.line !== undefined ? ` line ${where.line}` : '';
  const col = where.column !== undefined ? ` (column "${where.column}")` : '';
  return new GreenLensError('invalid_input', `${basename(file)}${place}${col}: ${message}`, { file, ...where });
}

/**
 * Size of a readable regular file; not_found / invalid_input otherwise.
 * `label` is how messages name the file (a web upload's original name).
 */
export async function csvFileSize(file: string, label = file): Promise<number> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new GreenLensError('not_found', `File not found: ${label}`, { file: label, hint: 'Check the path and try again.' });
    }
    throw error;
  }
  if (!info.isFile()) throw csvError(label, 'is not a file', { hint: 'Choose a .csv file, not a folder.' });
  if (info.size === 0) throw csvError(label, 'file is empty', { hint: 'The file needs a header line and at least one data row.' });
  return info.size;
}

/**
 * Header names made usable as record keys: trimmed, blanks named
 * column_N, duplicates suffixed _2, _3… (each change is reported).
 */
export function normalizeHeader(cells: readonly string[]): { names: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const used = new Set<string>();
  const names = cells.map((raw, i) => {
    let name = raw.trim();
    if (name === '') {
      name = `column_${i + 1}`;
      warnings.push(`Column ${i + 1} has no name; called it "${name}".`);
    }
    if (used.has(name)) {
      let k = 2;
      while (used.has(`${name}_${k}`)) k++;
      warnings.push(`Column name "${name}" appears more than once; renamed column ${i + 1} to "${name}_${k}".`);
      name = `${name}_${k}`;
    }
    used.add(name);
    return name;
  });
  return { names, warnings };
}

/** Turns tokenizer and option errors into GreenLensErrors naming file, line and column. */
export function toCsvError(file: string, error: unknown, header: readonly string[] | null): unknown {
  if (error instanceof NotTextError) {
    return new GreenLensError('invalid_input', `${basename(file)} is ${error.message}`, {
      file,
      hint: 'Choose a CSV file: text with one row per line and values separated by commas, semicolons or tabs.',
    });
  }
  if (error instanceof CsvLimitError) {
    return csvError(file, error.message, {
      line: error.line,
      hint:
        error.limit === 'fields'
          ? 'Split the file or keep only the columns you need.'
          : 'Rows must end with a line break; check that this is a CSV file and not one long line of data.',
    });
  }
  if (error instanceof CsvSyntaxError) {
    const column = header ? (header[error.field] ?? `field ${error.field + 1}`) : `header field ${error.field + 1}`;
    return csvError(file, error.message, {
      line: error.line,
      column,
      hint: 'Fix the quoting on that line; a quote inside a quoted field is written as "".',
    });
  }
  return error;
}

export interface PumpOptions {
  size: number;
  highWaterMark: number;
  progress?: (bytesRead: number, totalBytes: number) => void;
  /** Checked after each chunk; true ends reading early (the rest is not read). */
  done?: () => boolean;
  /** Text encoding; `auto` (default) chooses from the first chunk (see csv-text.ts). */
  encoding?: CsvEncodingName;
  /**
   * Called once the encoding is known, before any row. `textPerFileByte` is
   * the tokenizer's bytes per file byte in the first chunk, so size estimates
   * made in tokenizer bytes can be scaled to the file.
   */
  onEncoding?: (choice: EncodingChoice, textPerFileByte: number) => void;
}

/**
 * Streams the file through the tokenizer in chunks read into two reused
 * buffers. (fs.createReadStream allocates a fresh buffer per chunk, and that
 * garbage piles up to tens of MB before V8 collects it; the tokenizer copies
 * what it keeps, so reuse is safe.) Whatever throws (a bad row, a progress
 * hook cancelling) still closes the file. Returns whether the whole file was read.
 */
export async function pumpCsv(
  file: string,
  tokenizer: CsvTokenizer,
  options: PumpOptions,
): Promise<{ bytesRead: number; complete: boolean }> {
  const handle = await open(file, 'r');
  // Two buffers: the next read runs while this chunk is parsed. Awaiting each read after parsing the last left this
  // thread idle for a thread-pool round trip per chunk, a scheduler tick or more when every core is busy (as when a
  // scoring thread works beside the import). The tokenizer copies what it keeps, so a parsed chunk's buffer is free.
  const buffers = [Buffer.allocUnsafe(options.highWaterMark), Buffer.allocUnsafe(options.highWaterMark)];
  let next = 0;
  const readNext = (): Promise<{ bytesRead: number; buffer: Buffer }> => {
    const buffer = buffers[next]!;
    next ^= 1;
    return handle.read(buffer, 0, buffer.length, null);
  };
  let pending = readNext();
  let bytesRead = 0;
  let transcoder: TextTranscoder | null = null;
  try {
    for (;;) {
      const { bytesRead: n, buffer } = await pending;
      if (n === 0) break;
      pending = readNext();
      const bytes = buffer.subarray(0, n);
      if (transcoder === null) {
        const choice = chooseEncoding(bytes, options.encoding);
        transcoder = new TextTranscoder(choice);
        const text = transcoder.convert(bytes);
        options.onEncoding?.(choice, text.length / n);
        tokenizer.feed(text);
      } else tokenizer.feed(transcoder.convert(bytes));
      bytesRead += n;
      options.progress?.(bytesRead, options.size);
      if (options.done?.()) return { bytesRead, complete: false };
    }
    const rest = transcoder?.flush();
    if (rest && rest.length > 0) tokenizer.feed(rest);
    tokenizer.end();
    return { bytesRead, complete: true };
  } finally {
    // A read still running (the import stopped early or failed) ends before the file is closed; its error is moot.
    await pending.catch(() => undefined);
    await handle.close();
  }
}
