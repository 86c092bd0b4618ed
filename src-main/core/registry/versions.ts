import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GreenLensError } from '../../contract/shared/errors';
import { fsyncDir, ioError, randomSuffix, TEMP_MARKER, writeFileAtomic, writeFileSynced } from './atomic';
import { isValidName, isValidVersion } from './names';
import { describeIssue, versionRecordSchema } from './schema';
import type { VersionRecord } from './types';

/**
 * Version folders are the truth about which versions exist. A version is
 * committed by renaming a fully written, fsynced staging folder into place, so
 * a folder named like a version is always complete unless damaged afterwards.
 */

export const MODELS_DIR = 'models';
export const VERSIONS_DIR = 'versions';
export const VERSION_FILE = 'version.json';
export const ARTIFACT_FILE = 'model.json';
export const REFERENCE_FILE = 'reference.json';
export const STAGING_PREFIX = '.staging-';

/** Parallel reads for listing; bounded so a big registry does not hit EMFILE. */
const READ_CONCURRENCY = 64;

export const modelDir = (root: string, model: string): string => path.join(root, MODELS_DIR, model);
export const versionsDir = (root: string, model: string): string => path.join(root, MODELS_DIR, model, VERSIONS_DIR);
export const versionDir = (root: string, model: string, version: string): string => path.join(versionsDir(root, model), version);

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw ioError(error, dir, 'list');
  }
}

/** Model folder names (valid names only; anything else in models/ is ignored). */
export async function listModelFolders(root: string): Promise<string[]> {
  return (await readdirOrEmpty(path.join(root, MODELS_DIR))).filter(isValidName).sort();
}

/** Folder names that look like versions; staging and temp entries never match. */
export async function listVersionFolders(root: string, model: string): Promise<string[]> {
  return (await readdirOrEmpty(versionsDir(root, model))).filter(isValidVersion);
}

export type RecordRead = { ok: true; record: VersionRecord } | { ok: false; file: string; message: string; missing: boolean };

export async function tryReadVersionRecord(root: string, model: string, version: string): Promise<RecordRead> {
  const file = path.join(versionDir(root, model, version), VERSION_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, file, missing, message: missing ? `${VERSION_FILE} is missing` : ioError(error, file, 'read').message };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, file, missing: false, message: `not valid JSON (${(error as Error).message})` };
  }
  const parsed = versionRecordSchema.safeParse(json);
  if (!parsed.success) return { ok: false, file, missing: false, message: `damaged: ${describeIssue(parsed.error).message}` };
  const record = parsed.data;
  if (record.model !== model || record.version !== version) {
    return {
      ok: false,
      file,
      missing: false,
      message: `describes ${record.model} ${record.version} but sits in the folder of ${model} ${version}`,
    };
  }
  return { ok: true, record };
}

export async function readVersionRecord(root: string, model: string, version: string): Promise<VersionRecord> {
  const read = await tryReadVersionRecord(root, model, version);
  if (read.ok) return read.record;
  if (read.missing) {
    throw new GreenLensError('not_found', `Model ${model} has no version ${version}.`, {
      file: versionDir(root, model, version),
      field: 'version',
    });
  }
  throw new GreenLensError('corrupt', `${read.file} is ${read.message}.`, { file: read.file });
}

/** Reads every complete version record of a model; incomplete or damaged folders are skipped (verify reports them). */
export async function readAllVersionRecords(root: string, model: string): Promise<VersionRecord[]> {
  return (await readVersionRecordsReport(root, model)).records;
}

/** The readable records, and the version folders whose version.json is missing or damaged. */
export async function readVersionRecordsReport(
  root: string,
  model: string,
): Promise<{ records: VersionRecord[]; damaged: { version: string; file: string; message: string }[] }> {
  const names = await listVersionFolders(root, model);
  const reads = await mapLimit(names, READ_CONCURRENCY, (v) => tryReadVersionRecord(root, model, v));
  const records: VersionRecord[] = [];
  const damaged: { version: string; file: string; message: string }[] = [];
  reads.forEach((r, i) => {
    if (r.ok) records.push(r.record);
    else damaged.push({ version: names[i]!, file: r.file, message: r.message });
  });
  return { records, damaged };
}

/**
 * Writes a new version: every file into a private staging folder (each
 * fsynced), then one rename makes it visible. A crash before the rename leaves
 * only a staging folder, which readers ignore and writers delete.
 * Caller holds the registry lock.
 */
export async function commitVersion(root: string, record: VersionRecord, artifact: Uint8Array, reference: Uint8Array): Promise<void> {
  const parent = versionsDir(root, record.model);
  const target = versionDir(root, record.model, record.version);
  const staging = path.join(parent, `${STAGING_PREFIX}${randomSuffix()}`);
  try {
    await fs.mkdir(parent, { recursive: true });
    await fs.mkdir(staging);
    await writeFileSynced(path.join(staging, ARTIFACT_FILE), artifact);
    await writeFileSynced(path.join(staging, REFERENCE_FILE), reference);
    await writeFileSynced(path.join(staging, VERSION_FILE), versionJson(record));
    await fsyncDir(staging);
    // rename() would silently replace an empty folder, so refuse any existing entry first.
    if (
      await fs.lstat(target).then(
        () => true,
        () => false,
      )
    ) {
      throw new GreenLensError('conflict', `Model ${record.model} already has a version ${record.version}.`, {
        file: target,
        field: 'version',
      });
    }
    await fs.rename(staging, target);
    await fsyncDir(parent);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    throw ioError(error, target, 'write');
  }
}

export function versionJson(record: VersionRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Only tags and description ever change; the rest of the record is immutable. Caller holds the lock. */
export async function rewriteVersionRecord(root: string, record: VersionRecord): Promise<void> {
  await removeTempFiles(versionDir(root, record.model, record.version));
  await writeFileAtomic(path.join(versionDir(root, record.model, record.version), VERSION_FILE), versionJson(record));
}

/** Removes staging folders a crashed writer left. Caller holds the lock, so none is in use. */
export async function cleanStaging(root: string, model: string): Promise<void> {
  const parent = versionsDir(root, model);
  for (const entry of await readdirOrEmpty(parent)) {
    if (entry.startsWith(STAGING_PREFIX)) await fs.rm(path.join(parent, entry), { recursive: true, force: true });
  }
}

/** Deletes temp files of an interrupted atomic write in `dir`. Caller holds the lock. */
export async function removeTempFiles(dir: string): Promise<void> {
  for (const entry of await readdirOrEmpty(dir)) {
    if (entry.startsWith('.') && entry.includes(TEMP_MARKER)) await fs.rm(path.join(dir, entry), { force: true });
  }
}

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
