import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GreenLensError } from '../../contract/shared/errors';
import { deploymentsPath, isAliasEvent, readDeployments, type DeploymentLog } from './deployments';
import { checkLoopFiles } from '../loop/verify-loop';
import { Segment } from '../monitoring/segment';
import { parseSegmentName } from '../monitoring/segment-format';
import { manifestPath, readManifest } from './manifest';
import type { Manifest } from './schema';
import type { FileRef, VerifyProblem, VerifyResult } from './types';
import { dashboardsPath, readDashboards } from '../dashboards/store';
import {
  listModelFolders,
  listVersionFolders,
  mapLimit,
  sha256Hex,
  STAGING_PREFIX,
  tryReadVersionRecord,
  versionDir,
  versionsDir,
} from './versions';

const HASH_CONCURRENCY = 8;

/**
 * Checks the whole registry without changing it (no lock, no repair): a
 * report a person can act on, each problem naming the file concerned. It never
 * stops at the first problem: a part that cannot be read is itself a problem.
 */
export async function verifyRegistry(root: string): Promise<VerifyResult> {
  const problems: VerifyProblem[] = [];
  const error = (file: string, message: string): void => {
    problems.push({ file, message, severity: 'error' });
  };
  const warn = (file: string, message: string): void => {
    problems.push({ file, message, severity: 'warning' });
  };
  const checked = { models: 0, versions: 0, files: 0 };

  let manifest: Manifest | null = null;
  try {
    const loaded = await readManifest(root);
    manifest = loaded.manifest;
    checked.files++;
    if (loaded.migratedFrom !== null)
      warn(manifestPath(root), `format version ${loaded.migratedFrom} will be migrated when the registry is next opened`);
  } catch (e) {
    error(manifestPath(root), e instanceof GreenLensError ? e.message : String(e));
  }

  const folderModels = await modelFolders(root, warn);
  const models = [...new Set([...folderModels, ...Object.keys(manifest?.models ?? {})])].sort();
  const goodVersions = new Map<string, Set<string>>();

  for (const model of models) {
    checked.models++;
    const good = new Set<string>();
    goodVersions.set(model, good);
    const versions = await listVersionFolders(root, model).catch((e: unknown) => {
      error(versionsDir(root, model), `${model}: ${(e as Error).message}`);
      return [] as string[];
    });
    await mapLimit(versions, HASH_CONCURRENCY, async (version) => {
      checked.versions++;
      const read = await tryReadVersionRecord(root, model, version);
      if (!read.ok) {
        error(read.file, `${model} ${version}: version.json is ${read.message}`);
        return;
      }
      checked.files++;
      const dir = versionDir(root, model, version);
      const artifactOk = await checkFile(dir, read.record.artifact, `${model} ${version} artifact`, error);
      const referenceOk = await checkFile(dir, read.record.reference, `${model} ${version} reference`, error);
      checked.files += 2;
      if (artifactOk && referenceOk) good.add(version);
    });
    for (const entry of await fs.readdir(versionsDir(root, model)).catch(() => [] as string[])) {
      if (entry.startsWith(STAGING_PREFIX))
        warn(path.join(versionsDir(root, model), entry), 'leftover of an interrupted write; the next write removes it');
    }
    if (manifest && versions.length > 0 && !manifest.models[model]) {
      warn(manifestPath(root), `model ${model} has versions on disk but no manifest entry; the next write adds it`);
    }
  }

  if (manifest) {
    for (const [model, entry] of Object.entries(manifest.models)) {
      const good = goodVersions.get(model) ?? new Set<string>();
      for (const [alias, version] of Object.entries(entry.aliases)) {
        const dir = versionDir(root, model, version);
        const exists = await fs.stat(dir).then(
          () => true,
          () => false,
        );
        if (!exists) error(dir, `alias ${alias} of model ${model} points at version ${version}, whose folder is missing`);
        else if (!good.has(version)) error(dir, `alias ${alias} of model ${model} points at version ${version}, which is damaged`);
      }
      for (const version of entry.archived ?? []) {
        const dir = versionDir(root, model, version);
        if (
          !(await fs.stat(dir).then(
            () => true,
            () => false,
          ))
        )
          warn(dir, `archived version ${version} of model ${model} has no folder`);
      }
    }
  }

  await checkDeployments(root, manifest, error, warn);
  // dashboards.json is optional; when there, it must read back (it travels in archives and may be hand-edited).
  await readDashboards(root).catch((e: unknown) => error(dashboardsPath(root), e instanceof GreenLensError ? e.message : String(e)));
  checked.files++;
  checked.files += await checkLoopFiles(root, error, warn);
  checked.files += await checkPredictionLog(root, error, warn);
  return { ok: !problems.some((p) => p.severity === 'error'), problems, checked };
}

/**
 * Model folders; anything else under models/ (a stray file, a link, a bad name)
 * is reported and skipped rather than aborting the check with ENOTDIR.
 */
async function modelFolders(root: string, warn: (file: string, message: string) => void): Promise<string[]> {
  const dir = path.join(root, 'models');
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = new Set(await listModelFolders(root).catch(() => [] as string[]));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory() && names.has(e.name)) out.push(e.name);
    else
      warn(path.join(dir, e.name), e.isDirectory() ? 'is not a valid model name; it is ignored' : 'is not a model folder; it is ignored');
  }
  return out.sort();
}

/**
 * Every segment of the prediction log, loaded as `score` and `health` would: an
 * unreadable header or an inconsistent index is an error naming the file; records
 * an interrupted append left behind are a warning (the next append cuts them).
 */
async function checkPredictionLog(
  root: string,
  error: (file: string, message: string) => void,
  warn: (file: string, message: string) => void,
): Promise<number> {
  const dir = path.join(root, 'predictions');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  let checked = 0;
  const loaded: Segment[] = [];
  for (const name of names.sort()) {
    const parsed = parseSegmentName(name);
    if (!parsed) continue;
    checked++;
    try {
      const seg = await Segment.load(dir, parsed.base, parsed.seq);
      loaded.push(seg);
      if (seg.tornRecords > 0) {
        warn(
          seg.glpPath,
          `${seg.tornRecords} record(s) at the end were never committed (an interrupted append); the next append cuts them off`,
        );
      }
    } catch (e) {
      error(e instanceof GreenLensError && e.info.file ? e.info.file : path.join(dir, name), (e as Error).message);
    }
  }
  // A prune interrupted after committing a compaction leaves the replaced segment: it is ignored, not lost data.
  for (const seg of loaded) {
    const by = loaded.find((s) => s.header.replaces === seg.base);
    if (by) warn(seg.glpPath, `is replaced by the compacted segment ${by.base} (an interrupted prune); the next write deletes it`);
  }
  return checked;
}

async function checkFile(dir: string, ref: FileRef, what: string, error: (file: string, message: string) => void): Promise<boolean> {
  // The name comes from version.json; a hand-edited one must not reach outside the folder.
  if (path.basename(ref.file) !== ref.file || ref.file.startsWith('.')) {
    error(path.join(dir, 'version.json'), `${what} file name ${JSON.stringify(ref.file)} is not a plain file name`);
    return false;
  }
  const file = path.join(dir, ref.file);
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (e) {
    error(file, `${what} is ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable: ${(e as Error).message}`}`);
    return false;
  }
  if (data.length !== ref.bytes) {
    error(file, `${what} is ${data.length} bytes; version.json says ${ref.bytes}`);
    return false;
  }
  if (sha256Hex(data) !== ref.sha256) {
    error(file, `${what} does not match its sha256 in version.json (the file was changed or damaged)`);
    return false;
  }
  return true;
}

async function checkDeployments(
  root: string,
  manifest: Manifest | null,
  error: (file: string, message: string) => void,
  warn: (file: string, message: string) => void,
): Promise<void> {
  const file = deploymentsPath(root);
  let log: DeploymentLog;
  try {
    log = await readDeployments(root);
  } catch (e) {
    error(file, (e as Error).message);
    return;
  }
  if (log.tornLines > 0) warn(file, 'the last line is incomplete (an append was interrupted); it is ignored and cut off by the next write');
  for (const bad of log.badLines) error(file, `line ${bad.line} is not a valid deployment event: ${bad.text}`);
  if (!manifest) return;
  // The log is written before the manifest; a mismatch means a crash between the two.
  const latest = new Map<string, string>();
  for (const e of log.events) if (isAliasEvent(e)) latest.set(`${e.model}\u0000${e.alias}`, e.to);
  for (const [key, to] of latest) {
    const [model = '', alias = ''] = key.split('\u0000');
    const current = manifest.models[model]?.aliases[alias];
    if (current !== to)
      warn(
        manifestPath(root),
        `alias ${alias} of model ${model} is ${current ?? 'unset'} but the last deployment event set it to ${to}; the next write applies it`,
      );
  }
}
