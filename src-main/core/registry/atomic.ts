import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GreenLensError } from '../../contract/shared/errors';

/**
 * Durable file primitives. The registry must survive a crash or power cut at
 * any instant, so every write ends with fsync of the data and of the folder
 * that names it (a rename is only durable once the directory is synced).
 */

/** Marker in temp file names so readers, export and cleanup can skip them. */
export const TEMP_MARKER = '.tmp-';

export function randomSuffix(): string {
  return randomBytes(6).toString('hex');
}

export function ioError(error: unknown, file: string, doing: string): GreenLensError {
  if (error instanceof GreenLensError) return error;
  const errno = error as NodeJS.ErrnoException;
  const why =
    errno?.code === 'ENOSPC'
      ? 'the disk is full'
      : errno?.code === 'EACCES' || errno?.code === 'EPERM'
        ? 'permission denied'
        : errno?.code === 'EROFS'
          ? 'the file system is read-only'
          : (errno?.message ?? String(error));
  return new GreenLensError('io', `Could not ${doing} ${file}: ${why}.`, { file });
}

/** Makes a rename or create inside `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals renames itself.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `file` (which must not exist) with `data` and fsyncs it. Used inside staging folders. */
export async function writeFileSynced(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` with `data` so a reader sees either the old or the new bytes,
 * never a mix: temp file in the same folder (same file system, so rename is
 * atomic), fsync, rename, fsync the folder.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}${TEMP_MARKER}${randomSuffix()}`);
  try {
    await writeFileSynced(temp, data);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw ioError(error, file, 'write');
  }
  try {
    await fsyncDir(dir);
  } catch (error) {
    throw ioError(error, dir, 'sync folder');
  }
}

/**
 * Appends one NDJSON line durably. A crash mid-append can leave an
 * unterminated fragment at the end; that fragment was never acknowledged to
 * anyone, so it is cut off before appending (otherwise the new record would be
 * glued onto it and a good record would become unreadable). Callers hold the
 * registry lock, so no other writer is appending at the same time.
 */
export async function appendLine(file: string, line: string): Promise<void> {
  return appendLines(file, [line]);
}

/** appendLine for several lines with one write and one fsync (bulk feedback, an evaluation's alert events). */
export async function appendLines(file: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  if (lines.some((line) => line.includes('\n') || line.includes('\r'))) {
    throw new GreenLensError('invalid_input', `An NDJSON line for ${file} must not contain a line break.`, { file });
  }
  let created = false;
  try {
    created = !(await exists(file));
    const handle = await fs.open(file, 'a+');
    try {
      const { size } = await handle.stat();
      if (size > 0) {
        const keep = await lengthUpToLastNewline(handle, size);
        if (keep !== size) await handle.truncate(keep);
      }
      await handle.write(`${lines.join('\n')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (created) await fsyncDir(path.dirname(file));
  } catch (error) {
    throw ioError(error, file, 'append to');
  }
}

/** Byte length of the file up to and including its last '\n' (0 if none). */
async function lengthUpToLastNewline(handle: fs.FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(Math.min(size, 64 * 1024));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const idx = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (idx >= 0) return start + idx + 1;
    end = start;
  }
  return 0;
}

export interface NdjsonRead {
  records: unknown[];
  /** 1-based line number of each record, parallel to `records`. */
  recordLines: number[];
  /** 1 when the file ends in an unterminated (torn) line, which is skipped. */
  tornLines: number;
  /** Complete lines that are not valid JSON: real damage, not a torn append. */
  badLines: { line: number; text: string }[];
}

/** Reads an NDJSON file; a missing file reads as empty. */
export async function readNdjson(file: string): Promise<NdjsonRead> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], recordLines: [], tornLines: 0, badLines: [] };
    throw ioError(error, file, 'read');
  }
  const parts = text.split('\n');
  const tail = parts.pop() ?? '';
  const result: NdjsonRead = { records: [], recordLines: [], tornLines: tail.length > 0 ? 1 : 0, badLines: [] };
  parts.forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      result.records.push(JSON.parse(raw));
      result.recordLines.push(i + 1);
    } catch {
      result.badLines.push({ line: i + 1, text: raw.length > 80 ? `${raw.slice(0, 80)}…` : raw });
    }
  });
  return result;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
