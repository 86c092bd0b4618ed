import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ReadEntry } from 'tar';
import { z } from 'zod';
import { GreenLensError } from '../../contract/shared/errors';

/**
 * Reading a `.greenlens` archive without trusting it: names, sizes and counts are
 * checked against its checksum list before anything is written, extraction stops
 * the moment it exceeds what the list declared (a gzip bomb never fills the disk),
 * owners are not kept and modes are normalised (no setuid file from an archive made
 * by someone else), and only what a registry holds is extracted.
 */

export const CHECKSUMS_FILE = 'checksums.json';

export const checksumsSchema = z.object({
  format: z.literal('greenlens-archive'),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  files: z.record(z.string(), z.object({ sha256: z.string(), bytes: z.number().int().nonnegative() })),
});
export type Checksums = z.infer<typeof checksumsSchema>;

export interface ArchiveLimits {
  /** Total bytes the files may add up to (default 16 GiB). */
  maxBytes: number;
  /** Entries, files and folders together (default 500,000). */
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxBytes: 16 * 1024 ** 3, maxEntries: 500_000 };
const MAX_CHECKSUMS_BYTES = 64 * 1024 * 1024;
const FILE_MODE = 0o644;
const DIR_MODE = 0o755;

/** Top-level names a registry consists of (folders take everything below them). */
const REGISTRY_FILES = new Set([
  'greenlens-registry.json',
  'deployments.ndjson',
  'feedback.ndjson',
  'policy.json',
  'jobs.ndjson',
  'dashboards.json',
  'ab.json',
]);
const REGISTRY_FOLDERS = new Set(['models', 'predictions', 'datasets', 'alerts', 'watch']);
/** Per machine: a registry from elsewhere must not bring hooks that run commands here. */
const NEVER_IMPORTED = new Set(['alerts/hooks.json']);

/**
 * True for what an import keeps: the registry's own files, none hidden (a planted
 * `.lock`, staging folders, temp files). Everything else listed is skipped.
 */
export function isRegistryEntry(entryPath: string): boolean {
  const parts = entryPath.replace(/\/+$/, '').split('/');
  if (parts.some((p) => p.startsWith('.')) || NEVER_IMPORTED.has(parts.join('/'))) return false;
  const top = parts[0] ?? '';
  return parts.length === 1 ? REGISTRY_FILES.has(top) || REGISTRY_FOLDERS.has(top) : REGISTRY_FOLDERS.has(top);
}

/** Why an entry name is unsafe to extract, or null when it is a plain relative path. */
export function unsafeReason(entryPath: string, type: string): string | null {
  if (type !== 'File' && type !== 'OldFile' && type !== 'Directory') return `is a ${type} entry (only files and folders are allowed)`;
  if (entryPath.includes('\\') || entryPath.includes('\0')) return 'has a backslash or NUL in its name';
  if (path.posix.isAbsolute(entryPath) || /^[a-zA-Z]:/.test(entryPath)) return 'has an absolute path';
  const parts = entryPath.replace(/\/+$/, '').split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === '')) return 'reaches outside the registry folder';
  return null;
}

export function corruptArchive(archive: string, message: string, entry?: string): GreenLensError {
  return new GreenLensError('corrupt', `${archive}: ${message}`, {
    file: archive,
    field: entry,
    hint: 'The archive was damaged or changed after export; export it again from the original registry.',
  });
}

function tooBig(archive: string, message: string): GreenLensError {
  return new GreenLensError('invalid_input', `${archive}: ${message}`, {
    file: archive,
    hint: 'The archive is larger than an import allows; check where it came from.',
  });
}

export interface ArchivePlan {
  checksums: Checksums;
  /** Listed files that are not part of a registry: not extracted, not checked. */
  skipped: string[];
  /** Bytes and entries the extraction may write. */
  bytes: number;
  entries: number;
}

/** Every folder above a listed file: the folder entries an honest archive holds. */
function ancestors(files: Iterable<string>): Set<string> {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return dirs;
}

/**
 * Reads the archive once without writing: every name is checked, `checksums.json`
 * (the first entry) is parsed, and each file must be listed there with its exact
 * size. Stops at the first problem, so a bomb is refused from its headers.
 */
export async function scanArchive(archive: string, limits: ArchiveLimits): Promise<ArchivePlan> {
  let problem: GreenLensError | null = null;
  let checksums: Checksums | null = null;
  let checksumsInvalid = false;
  let dirsAllowed = new Set<string>();
  let entries = 0;
  let bytes = 0;
  // tar is loaded on use, not at start-up: only import needs it.
  const { Parser } = await import('tar');
  const parser = new Parser({ strict: true });
  const stop = (error: GreenLensError): void => {
    problem ??= error;
    parser.abort(error);
  };
  parser.on('entry', (entry: ReadEntry) => {
    if (problem) return entry.resume();
    const name = entry.path.replace(/\/+$/, '');
    const why = unsafeReason(entry.path, entry.type);
    if (why) return stop(corruptArchive(archive, `entry ${JSON.stringify(entry.path)} ${why}; the archive was refused.`, entry.path));
    if (++entries > limits.maxEntries) return stop(tooBig(archive, `has more than ${limits.maxEntries.toLocaleString('en-US')} entries.`));
    if (entries === 1 && name === CHECKSUMS_FILE) {
      if (entry.size > MAX_CHECKSUMS_BYTES) return stop(tooBig(archive, `${CHECKSUMS_FILE} is implausibly large (${entry.size} bytes).`));
      bytes += entry.size;
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => {
        try {
          checksums = checksumsSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          dirsAllowed = ancestors(Object.keys(checksums.files));
          const listed = Object.values(checksums.files).reduce((a, f) => a + f.bytes, 0);
          const count = Object.keys(checksums.files).length + dirsAllowed.size + 1;
          if (listed > limits.maxBytes)
            stop(
              tooBig(
                archive,
                `its files add up to ${listed.toLocaleString('en-US')} bytes, over the ${limits.maxBytes.toLocaleString('en-US')}-byte limit.`,
              ),
            );
          else if (count > limits.maxEntries)
            stop(tooBig(archive, `lists more than ${limits.maxEntries.toLocaleString('en-US')} entries.`));
        } catch {
          // Reported after the scan, so an unsafe name found later still names that entry.
          checksumsInvalid = true;
        }
      });
      return;
    }
    if (checksums) {
      const listed = (checksums as Checksums).files;
      if (entry.type === 'Directory') {
        // An empty folder a registry holds (a new registry's `models`) is above no listed file; it carries no data, so it is allowed.
        if (!dirsAllowed.has(name) && !isRegistryEntry(name)) {
          return stop(corruptArchive(archive, `entry ${name} is not listed in ${CHECKSUMS_FILE}.`, name));
        }
      } else {
        const want = Object.hasOwn(listed, name) ? listed[name] : undefined;
        if (!want) return stop(corruptArchive(archive, `entry ${name} is not listed in ${CHECKSUMS_FILE}.`, name));
        if (entry.size !== want.bytes) {
          return stop(corruptArchive(archive, `entry ${name} is ${entry.size} bytes; ${CHECKSUMS_FILE} says ${want.bytes}.`, name));
        }
        bytes += entry.size;
      }
    }
    entry.resume();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('error', reject);
      parser.on('abort', reject);
      parser.on('end', resolve);
      const stream = createReadStream(archive);
      stream.on('error', reject);
      parser.on('abort', () => stream.destroy());
      stream.pipe(parser);
    });
  } catch (error) {
    if (problem) throw problem;
    throw corruptArchive(archive, `cannot be read as a GreenLens archive (${(error as Error).message}).`);
  }
  if (problem) throw problem;
  if (!checksums || checksumsInvalid) {
    throw corruptArchive(
      archive,
      `has no valid ${CHECKSUMS_FILE} as its first entry; it is not a GreenLens registry archive.`,
      CHECKSUMS_FILE,
    );
  }
  const files = Object.keys((checksums as Checksums).files);
  return { checksums, skipped: files.filter((f) => !isRegistryEntry(f)), bytes, entries };
}

/**
 * Extracts what `scanArchive` approved into `dest`: registry entries only, owner
 * not kept, files 0644 and folders 0755, and aborts as soon as the bytes or entries
 * written pass the plan (the file may have changed since the scan).
 */
export async function extractArchive(archive: string, dest: string, plan: ArchivePlan): Promise<void> {
  let problem: GreenLensError | null = null;
  let bytes = 0;
  let entries = 0;
  const { Unpack } = await import('tar');
  const unpack = new Unpack({
    cwd: dest,
    strict: true,
    preservePaths: false,
    preserveOwner: false,
    noMtime: true,
    filter: (entryPath, entry) => {
      if (problem) return false;
      const type = 'type' in entry ? entry.type : 'File';
      const why = unsafeReason(entryPath, type);
      if (why) {
        problem = corruptArchive(archive, `entry ${JSON.stringify(entryPath)} is unsafe; the archive was refused.`, entryPath);
        unpack.abort(problem);
        return false;
      }
      const size = 'size' in entry && typeof entry.size === 'number' ? entry.size : 0;
      bytes += size;
      entries++;
      if (bytes > plan.bytes || entries > plan.entries) {
        problem = tooBig(archive, `holds more than its ${CHECKSUMS_FILE} declared; extraction was stopped.`);
        unpack.abort(problem);
        return false;
      }
      if (!isRegistryEntry(entryPath)) return false;
      if ('mode' in entry) entry.mode = type === 'Directory' ? DIR_MODE : FILE_MODE;
      return true;
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      unpack.on('error', reject);
      unpack.on('abort', reject);
      unpack.on('close', resolve);
      const stream = createReadStream(archive);
      stream.on('error', reject);
      unpack.on('abort', () => stream.destroy());
      stream.pipe(unpack);
    });
  } catch (error) {
    if (problem) throw problem;
    throw corruptArchive(archive, `cannot be extracted (${(error as Error).message}).`);
  }
  if (problem) throw problem;
  await normaliseModes(dest);
}

/** Belt and braces after extraction: nothing keeps setuid/setgid/sticky or group/other write bits. */
async function normaliseModes(dir: string): Promise<void> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      await fs.chmod(p, DIR_MODE);
      await normaliseModes(p);
    } else if (entry.isFile()) {
      await fs.chmod(p, FILE_MODE);
    }
  }
}
