import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GreenLensError } from '../contract/shared/errors';

/**
 * Web-mode uploads: a private folder per user (0700, files 0600) under the system
 * temp folder, one sub-folder per server run (named after its pid) so a run removes
 * its own files when it stops and the next start removes those of runs that died.
 * A folder of that name that someone else created, or made reachable, is never used.
 */

export interface Uploads {
  /** This run's folder. */
  dir: string;
  /** Streams `body` into a new 0600 file; refuses more than `maxBytes`. */
  save(name: string, body: Readable, maxBytes: number): Promise<{ path: string; name: string; bytes: number }>;
  /** Deletes an upload of this run (after import or discard); other paths are ignored. */
  discard(path: string): Promise<boolean>;
  /** Removes this run's folder. */
  close(): Promise<void>;
}

const RUN_PREFIX = 'run-';

export function uploadTooLarge(maxBytes: number): GreenLensError {
  return new GreenLensError(
    'invalid_input',
    `The upload is larger than the ${Math.round(maxBytes / 2 ** 20)} MB limit (the maxUploadMb setting).`,
    {
      field: 'file',
      hint: 'Use the desktop app or the CLI for very large files, or raise maxUploadMb in the settings file.',
    },
  );
}

function uid(): number {
  return process.getuid?.() ?? 0;
}

/** True when `dir` is a real folder (not a link) owned by us that nobody else can enter. */
async function isPrivate(dir: string): Promise<boolean> {
  const st = await fs.lstat(dir).catch(() => null);
  if (!st || !st.isDirectory()) return false;
  if (process.platform === 'win32') return true;
  return st.uid === uid() && (st.mode & 0o077) === 0;
}

/**
 * `<tmp>/greenlens-<uid>` when it is (or can be made) ours alone; a pre-created
 * folder with loose modes of ours is tightened, one owned by another user or a
 * link is left alone and a fresh private folder is used instead.
 */
export async function privateBase(base = tmpdir()): Promise<string> {
  const dir = join(base, `greenlens-${uid()}`);
  try {
    await fs.mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const st = await fs.lstat(dir);
    if (st.isDirectory() && !st.isSymbolicLink() && st.uid === uid() && (st.mode & 0o077) !== 0) await fs.chmod(dir, 0o700);
  }
  if (await isPrivate(dir)) return dir;
  return fs.mkdtemp(join(base, `greenlens-${uid()}-`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the upload folders of runs whose process is gone. */
async function sweepStale(uploadsRoot: string): Promise<void> {
  for (const name of await fs.readdir(uploadsRoot).catch(() => [] as string[])) {
    const pid = Number(/^run-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) {
      await fs.rm(join(uploadsRoot, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

export async function openUploads(base?: string): Promise<Uploads> {
  const root = join(await privateBase(base), 'uploads');
  await fs.mkdir(root, { recursive: true, mode: 0o700 });
  await sweepStale(root);
  const dir = join(root, `${RUN_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(dir, { mode: 0o700 });
  return {
    dir,
    async save(rawName, body, maxBytes) {
      const name =
        basename(rawName)
          .replace(/[^\w.-]+/g, '_')
          .replace(/^\.+/, '') || 'upload.csv';
      const path = join(dir, `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}-${name}`);
      let bytes = 0;
      const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
      try {
        await pipeline(
          body,
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              bytes += chunk.length;
              if (bytes > maxBytes) {
                throw uploadTooLarge(maxBytes);
              }
              yield chunk;
            }
          },
          out,
        );
      } catch (error) {
        await fs.unlink(path).catch(() => undefined);
        throw error;
      }
      return { path, name, bytes };
    },
    async discard(path) {
      if (dirname(path) !== dir) return false;
      return fs.unlink(path).then(
        () => true,
        () => false,
      );
    },
    close: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
