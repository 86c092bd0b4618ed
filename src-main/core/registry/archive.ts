import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Header, list, Pack, ReadEntry, extract } from 'tar';
import { z } from 'zod';
import { GreenLensError } from '../../contract/shared/errors';
import { fsyncDir, ioError, randomSuffix, TEMP_MARKER } from './atomic';
import { withLock } from './lock';
import { BACKUP_MARKER, MANIFEST_FILE } from './manifest';
import { Registry } from './registry';
import type { VerifyResult } from './types';
import { sha256Hex } from './versions';

/**
 * A `.greenlens` file is a gzipped tar of the registry plus `checksums.json`
 * (sha256 and size of every file), so an archive mailed around can be checked
 * end to end before anything lands in the user's registry folder.
 */

export const CHECKSUMS_FILE = 'checksums.json';

const checksumsSchema = z.object({
  format: z.literal('greenlens-archive'),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  files: z.record(z.string(), z.object({ sha256: z.string(), bytes: z.number().int().nonnegative() })),
});
type Checksums = z.infer<typeof checksumsSchema>;

export interface ExportResult {
  file: string;
  files: number;
  bytes: number;
}

export interface ImportResult {
  dir: string;
  verify: VerifyResult;
}

/** Lock, staging folders, temp files and manifest backups belong to this copy only. */
function isExported(name: string): boolean {
  return !name.startsWith('.') && !name.includes(TEMP_MARKER) && !name.startsWith(`${MANIFEST_FILE}${BACKUP_MARKER}`);
}

/** Relative POSIX paths of the folders and regular files under `root`, parents first. */
async function collect(root: string, include: (name: string) => boolean): Promise<{ dirs: string[]; files: string[] }> {
  const dirs: string[] = [];
  const files: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (!include(entry.name)) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      // Symlinks are skipped: a registry never makes them and they could point anywhere.
      if (entry.isDirectory()) {
        dirs.push(child);
        await walk(child);
      } else if (entry.isFile()) {
        files.push(child);
      }
    }
  };
  await walk('');
  return { dirs, files };
}

/**
 * Writes the registry at `dir` to `outFile` as one archive. The registry lock
 * is held so the snapshot is consistent; the archive appears atomically.
 */
export async function exportRegistry(dir: string, outFile: string): Promise<ExportResult> {
  const registry = await Registry.open(dir);
  const target = path.resolve(outFile);
  if (!path.relative(registry.dir, target).startsWith('..')) {
    // The next export would otherwise pack this archive inside itself.
    throw new GreenLensError('invalid_input', `Cannot export to ${target}: choose a place outside the registry folder ${registry.dir}.`, {
      file: target,
      field: 'outFile',
    });
  }
  return withLock(registry.dir, async () => {
    const { dirs, files } = await collect(registry.dir, isExported);
    const checksums: Checksums = { format: 'greenlens-archive', formatVersion: 1, createdAt: new Date().toISOString(), files: {} };
    for (const rel of files) {
      const data = await fs.readFile(path.join(registry.dir, rel));
      checksums.files[rel] = { sha256: sha256Hex(data), bytes: data.length };
    }
    const temp = path.join(path.dirname(target), `.${path.basename(target)}${TEMP_MARKER}${randomSuffix()}`);
    try {
      await writeArchive(registry.dir, temp, dirs, files, Buffer.from(`${JSON.stringify(checksums, null, 2)}\n`));
      await fs.rename(temp, target);
      await fsyncDir(path.dirname(target));
    } catch (error) {
      await fs.rm(temp, { force: true }).catch(() => undefined);
      throw ioError(error, target, 'write the archive');
    }
    const { size } = await fs.stat(target);
    return { file: target, files: files.length, bytes: size };
  });
}

async function writeArchive(root: string, temp: string, dirs: string[], files: string[], checksums: Buffer): Promise<void> {
  const pack = new Pack({ cwd: root, gzip: true, portable: true, noDirRecurse: true, strict: true });
  const out = createWriteStream(temp, { flags: 'wx' });
  const done = new Promise<void>((resolve, reject) => {
    pack.on('error', reject);
    out.on('error', reject);
    out.on('close', resolve);
  });
  pack.pipe(out);
  // checksums.json is not a file in the registry, so it is added as an in-memory entry.
  const header = new Header({ path: CHECKSUMS_FILE, type: 'File', size: checksums.length, mode: 0o644, mtime: new Date() });
  const entry = new ReadEntry(header);
  entry.end(checksums);
  pack.add(entry);
  for (const rel of [...dirs, ...files]) pack.add(rel);
  pack.end();
  await done;
  const handle = await fs.open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Why an entry name is unsafe to extract, or null when it is a plain relative path. */
function unsafeReason(entryPath: string, type: string): string | null {
  if (type !== 'File' && type !== 'OldFile' && type !== 'Directory') return `is a ${type} entry (only files and folders are allowed)`;
  if (entryPath.includes('\\') || entryPath.includes('\0')) return 'has a backslash or NUL in its name';
  if (path.posix.isAbsolute(entryPath) || /^[a-zA-Z]:/.test(entryPath)) return 'has an absolute path';
  const parts = entryPath.replace(/\/+$/, '').split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === '')) return 'reaches outside the registry folder';
  return null;
}

function corruptArchive(archive: string, message: string, entry?: string): GreenLensError {
  return new GreenLensError('corrupt', `${archive}: ${message}`, {
    file: archive,
    field: entry,
    hint: 'The archive was damaged or changed after export; export it again from the original registry.',
  });
}

/** Lists and checks every entry name before extraction writes anything. */
async function checkEntries(archive: string): Promise<void> {
  let problem: GreenLensError | null = null;
  try {
    await list({
      file: archive,
      strict: true,
      onReadEntry: (entry) => {
        const why = unsafeReason(entry.path, entry.type);
        if (why && !problem)
          problem = corruptArchive(archive, `entry ${JSON.stringify(entry.path)} ${why}; the archive was refused.`, entry.path);
      },
    });
  } catch (error) {
    throw corruptArchive(archive, `cannot be read as a GreenLens archive (${(error as Error).message}).`);
  }
  if (problem) throw problem;
}

/**
 * Imports an archive into `targetDir` (missing or empty). Everything is
 * extracted beside the target and checked (entry names, every checksum, then a
 * full registry verify) before one rename puts it in place.
 */
export async function importRegistry(archiveFile: string, targetDir: string): Promise<ImportResult> {
  const archive = path.resolve(archiveFile);
  const target = path.resolve(targetDir);
  await fs.access(archive).catch(() => {
    throw new GreenLensError('not_found', `No archive at ${archive}.`, { file: archive });
  });
  const targetEntries = await fs.readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw ioError(error, target, 'read');
  });
  if (targetEntries && targetEntries.length > 0) {
    throw new GreenLensError('conflict', `Cannot import into ${target}: the folder is not empty.`, {
      file: target,
      hint: 'Choose a new or empty folder.',
    });
  }

  await checkEntries(archive);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.import-${randomSuffix()}`);
  await fs.mkdir(temp);
  try {
    await extractSafely(archive, temp);
    await checkChecksums(archive, temp);
    const registry = await Registry.open(temp);
    const verify = await registry.verify();
    if (!verify.ok) {
      const first = verify.problems.find((p) => p.severity === 'error');
      throw corruptArchive(
        archive,
        `the registry inside does not verify: ${path.relative(temp, first?.file ?? temp)}: ${first?.message ?? ''}`,
      );
    }
    if (targetEntries) await fs.rmdir(target);
    await fs.rename(temp, target);
    await fsyncDir(path.dirname(target));
    const rebased = verify.problems.map((p) => ({ ...p, file: path.join(target, path.relative(temp, p.file)) }));
    return { dir: target, verify: { ...verify, problems: rebased } };
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

async function extractSafely(archive: string, dest: string): Promise<void> {
  let refused: string | null = null;
  try {
    await extract({
      file: archive,
      cwd: dest,
      strict: true,
      preservePaths: false,
      // Listed already; checked again here so a file changed in between cannot slip through.
      filter: (entryPath, entry) => {
        const type = 'type' in entry ? entry.type : 'File';
        if (unsafeReason(entryPath, type) === null) return true;
        refused ??= entryPath;
        return false;
      },
    });
  } catch (error) {
    throw corruptArchive(archive, `cannot be extracted (${(error as Error).message}).`);
  }
  if (refused !== null) throw corruptArchive(archive, `entry ${JSON.stringify(refused)} is unsafe; the archive was refused.`, refused);
}

async function checkChecksums(archive: string, dir: string): Promise<void> {
  const file = path.join(dir, CHECKSUMS_FILE);
  let checksums: Checksums;
  try {
    checksums = checksumsSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
  } catch {
    throw corruptArchive(archive, `has no valid ${CHECKSUMS_FILE}; it is not a GreenLens registry archive.`, CHECKSUMS_FILE);
  }
  await fs.rm(file);
  // Every extracted file must be accounted for, hidden ones included.
  const { files } = await collect(dir, () => true);
  const expected = new Set(Object.keys(checksums.files));
  for (const rel of files) {
    const want = checksums.files[rel];
    if (!want) throw corruptArchive(archive, `entry ${rel} is not listed in ${CHECKSUMS_FILE}.`, rel);
    expected.delete(rel);
    const data = await fs.readFile(path.join(dir, rel));
    if (data.length !== want.bytes || sha256Hex(data) !== want.sha256) {
      throw corruptArchive(archive, `entry ${rel} does not match its checksum.`, rel);
    }
  }
  const missing = [...expected][0];
  if (missing !== undefined) throw corruptArchive(archive, `entry ${missing} listed in ${CHECKSUMS_FILE} is missing.`, missing);
  if (!files.includes(MANIFEST_FILE)) throw corruptArchive(archive, `contains no ${MANIFEST_FILE}.`, MANIFEST_FILE);
}
