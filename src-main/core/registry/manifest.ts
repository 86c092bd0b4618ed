import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GreenLensError } from '../../contract/shared/errors';
import { ioError, writeFileAtomic } from './atomic';
import { isValidName, isValidVersion } from './names';
import { describeIssue, manifestV0Schema, manifestV1Schema, type Manifest } from './schema';

export const MANIFEST_FILE = 'greenlens-registry.json';
export const FORMAT = 'greenlens-registry';
export const CURRENT_FORMAT_VERSION = 1;
export const BACKUP_MARKER = '.bak-';

export function manifestPath(root: string): string {
  return path.join(root, MANIFEST_FILE);
}

export function emptyManifest(now = new Date()): Manifest {
  return { format: FORMAT, formatVersion: 1, createdAt: now.toISOString(), models: {} };
}

export interface LoadedManifest {
  manifest: Manifest;
  /** The bytes on disk, kept so a migration can back them up unchanged. */
  raw: Buffer;
  /** Format version of the file when it is older than this app's, else null. */
  migratedFrom: number | null;
}

export async function readManifest(root: string): Promise<LoadedManifest> {
  const file = manifestPath(root);
  let raw: Buffer;
  try {
    raw = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GreenLensError('not_found', `No registry manifest at ${file}.`, {
        file,
        hint: 'Open the folder that contains greenlens-registry.json, or create a new registry.',
      });
    }
    throw ioError(error, file, 'read');
  }
  return { raw, ...parseManifest(raw, file) };
}

/**
 * Parses manifest bytes, refusing newer formats and migrating older ones in
 * memory. Never writes: a damaged file must stay exactly as it is so nothing
 * more is lost.
 */
export function parseManifest(raw: Buffer, file: string): { manifest: Manifest; migratedFrom: number | null } {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new GreenLensError(
      'corrupt',
      `The registry manifest ${file} is not valid JSON (truncated or damaged?): ${(error as Error).message}. It was left unchanged.`,
      { file, hint: `Restore ${MANIFEST_FILE} from a backup or an exported .greenlens archive.` },
    );
  }
  const head = (typeof json === 'object' && json !== null ? json : {}) as { format?: unknown; formatVersion?: unknown };
  if (head.format !== FORMAT) {
    throw new GreenLensError('corrupt', `${file} is not a GreenLens registry manifest (format is ${JSON.stringify(head.format)}).`, {
      file,
      field: 'format',
    });
  }
  const version = head.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new GreenLensError('corrupt', `${file} has no valid formatVersion (${JSON.stringify(version)}).`, {
      file,
      field: 'formatVersion',
    });
  }
  if (version > CURRENT_FORMAT_VERSION) {
    throw new GreenLensError(
      'unsupported',
      `${file} is registry format version ${version}, written by a newer GreenLens; this app supports format version ${CURRENT_FORMAT_VERSION} and older. Update GreenLens to open it.`,
      { file, field: 'formatVersion' },
    );
  }
  const migratedFrom = version < CURRENT_FORMAT_VERSION ? version : null;
  const upgraded = version === 0 ? migrateV0(json, file) : json;
  const parsed = manifestV1Schema.safeParse(upgraded);
  if (!parsed.success) {
    const issue = describeIssue(parsed.error);
    throw new GreenLensError('corrupt', `The registry manifest ${file} is damaged: ${issue.message}.`, { file, field: issue.field });
  }
  checkNames(parsed.data, file);
  return { manifest: parsed.data, migratedFrom };
}

/** v0 kept `aliases: { model: { alias: version } }` at top level; v1 keeps them with each model. */
function migrateV0(json: unknown, file: string): unknown {
  const parsed = manifestV0Schema.safeParse(json);
  if (!parsed.success) {
    const issue = describeIssue(parsed.error);
    throw new GreenLensError('corrupt', `The format-0 registry manifest ${file} is damaged: ${issue.message}.`, {
      file,
      field: issue.field,
    });
  }
  const { aliases, models, ...rest } = parsed.data;
  const migrated: Manifest = { ...rest, format: FORMAT, formatVersion: 1, models: {} };
  const names = new Set([...Object.keys(models), ...Object.keys(aliases)]);
  for (const name of names) {
    migrated.models[name] = { ...models[name], createdAt: models[name]?.createdAt ?? rest.createdAt, aliases: { ...aliases[name] } };
  }
  return migrated;
}

/** Keys become folder names, so a hand-edited manifest must not smuggle in a path. */
function checkNames(manifest: Manifest, file: string): void {
  for (const [model, entry] of Object.entries(manifest.models)) {
    if (!isValidName(model))
      throw new GreenLensError('corrupt', `${file} lists an invalid model name ${JSON.stringify(model)}.`, {
        file,
        field: `models.${model}`,
      });
    for (const [alias, version] of Object.entries(entry.aliases)) {
      if (!isValidName(alias) || !isValidVersion(version)) {
        throw new GreenLensError(
          'corrupt',
          `${file} has an invalid alias ${JSON.stringify(alias)} → ${JSON.stringify(version)} for model ${model}.`,
          {
            file,
            field: `models.${model}.aliases.${alias}`,
          },
        );
      }
    }
  }
}

export async function writeManifest(root: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(manifestPath(root), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Copies the manifest bytes to `greenlens-registry.json.bak-<UTC timestamp>` before a migration. */
export async function backupManifest(root: string, raw: Buffer, now = new Date()): Promise<string> {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let file = `${manifestPath(root)}${BACKUP_MARKER}${stamp}`;
  for (
    let n = 2;
    await fs.access(file).then(
      () => true,
      () => false,
    );
    n++
  )
    file = `${manifestPath(root)}${BACKUP_MARKER}${stamp}-${n}`;
  await writeFileAtomic(file, raw);
  return file;
}
