import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { GreenLensError } from '../../contract/shared/errors';
import {
  CHECKSUMS_FILE,
  DEFAULT_ARCHIVE_LIMITS,
  corruptArchive,
  extractArchive,
  scanArchive,
  type ArchiveLimits,
  type ArchivePlan,
  type Checksums,
} from './archive-unpack';
import { fsyncDir, ioError, randomSuffix, TEMP_MARKER } from './atomic';
import { importTempDir, sweepImportLeftovers } from './import-leftovers';
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

export { CHECKSUMS_FILE } from './archive-unpack';

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
  // tar is loaded here, not at start-up: only export needs it.
  const { Header, Pack, ReadEntry } = await import('tar');
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

/**
 * Imports an archive into `targetDir` (missing or empty). Everything is
 * extracted beside the target and checked (entry names, every checksum, then a
 * full registry verify) before one rename puts it in place.
 */
export async function importRegistry(
  archiveFile: string,
  targetDir: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ImportResult> {
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

  const plan = await scanArchive(archive, limits);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await checkFreeSpace(archive, path.dirname(target), plan.bytes);
  await sweepImportLeftovers(target);
  const temp = importTempDir(target);
  await fs.mkdir(temp);
  try {
    await extractArchive(archive, temp, plan);
    await checkChecksums(archive, temp, plan);
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

/** The files an archive declares must fit on the target's disk (with 5% to spare) before one is written. */
async function checkFreeSpace(archive: string, dir: string, bytes: number): Promise<void> {
  const st = await fs.statfs(dir).catch(() => null);
  if (!st) return;
  const free = Number(st.bavail) * Number(st.bsize);
  if (bytes * 1.05 > free) {
    throw new GreenLensError(
      'io',
      `${archive}: its files need ${bytes.toLocaleString('en-US')} bytes; ${dir} has ${free.toLocaleString('en-US')} free.`,
      {
        file: archive,
        hint: 'Free some space or import somewhere else.',
      },
    );
  }
}

/** Every extracted file must be listed with a matching checksum, and every listed registry file present. */
async function checkChecksums(archive: string, dir: string, plan: ArchivePlan): Promise<void> {
  const listed = plan.checksums.files;
  const skipped = new Set(plan.skipped);
  const { files } = await collect(dir, () => true);
  const expected = new Set(Object.keys(listed).filter((f) => !skipped.has(f)));
  for (const rel of files) {
    const want = Object.hasOwn(listed, rel) ? listed[rel] : undefined;
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
