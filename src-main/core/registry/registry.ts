import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GreenLensError } from '../../contract/shared/errors';
import { isArchivePath } from '../../contract/shared/registry';
import { ioError } from './atomic';
import { compareRecords } from './compare';
import { appendDeployment, isAliasEvent, rollbackTarget, readDeployments } from './deployments';
import { sweepImportLeftovers } from './import-leftovers';
import { LOCK_FILE, withLock, type LockOptions } from './lock';
import { backupManifest, emptyManifest, MANIFEST_FILE, manifestPath, readManifest, writeManifest } from './manifest';
import { assertName, assertVersion, compareSemver, nextPatch } from './names';
import type { Manifest, ModelEntry } from './schema';
import type {
  AliasEvent,
  ArchiveEvent,
  CompareResult,
  DeploymentActor,
  DeploymentEvent,
  FileRef,
  ModelSummary,
  RegisterInput,
  VerifyResult,
  VersionMeta,
  VersionRecord,
} from './types';
import { checkDescription, checkRegistration, checkTags } from './validate';
import {
  ARTIFACT_FILE,
  cleanStaging,
  commitVersion,
  listModelFolders,
  listVersionFolders,
  modelDir,
  readAllVersionRecords,
  readVersionRecordsReport,
  readVersionRecord,
  REFERENCE_FILE,
  rewriteVersionRecord,
  sha256Hex,
  versionDir,
} from './versions';
import { verifyRegistry } from './verify';

export interface RegistryOptions {
  /** Recorded in deployment events when an action names no user. */
  user?: string;
  lock?: LockOptions;
}

export interface ListOptions {
  includeArchived?: boolean;
}

export function defaultUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    // Containers without a passwd entry make userInfo() throw.
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

/**
 * A model registry folder (ARCHITECTURE §4). Readers take no lock and re-read the
 * disk on every call, so several processes can browse while one writes.
 * Every write takes the registry lock, re-reads the manifest under it, and
 * first rolls forward anything a crashed writer left half done.
 */
export class Registry {
  readonly dir: string;
  private readonly user: string;
  private readonly lockOptions: LockOptions;

  private constructor(dir: string, options: RegistryOptions) {
    this.dir = dir;
    this.user = options.user ?? defaultUser();
    this.lockOptions = options.lock ?? {};
  }

  get manifestFile(): string {
    return manifestPath(this.dir);
  }

  /** Creates a registry in `dir`, which must be missing or empty. */
  static async create(dir: string, options: RegistryOptions = {}): Promise<Registry> {
    const root = path.resolve(dir);
    try {
      await fs.mkdir(root, { recursive: true });
    } catch (error) {
      throw ioError(error, root, 'create the registry folder');
    }
    await withLock(
      root,
      async () => {
        const entries = (await fs.readdir(root)).filter((e) => !e.startsWith(LOCK_FILE));
        if (entries.includes(MANIFEST_FILE)) {
          throw new GreenLensError('conflict', `A registry already exists in ${root}.`, {
            file: manifestPath(root),
            hint: 'Open it instead.',
          });
        }
        if (entries.length > 0) {
          throw new GreenLensError('conflict', `Cannot create a registry in ${root}: the folder is not empty.`, {
            file: root,
            hint: 'Choose an empty or new folder.',
          });
        }
        await fs.mkdir(path.join(root, 'models'));
        await writeManifest(root, emptyManifest());
      },
      options.lock,
    );
    return new Registry(root, options);
  }

  /**
   * Opens a registry by its folder or its greenlens-registry.json. An older
   * format is migrated here, after the original manifest is backed up.
   */
  static async open(target: string, options: RegistryOptions = {}): Promise<Registry> {
    const root = await resolveRoot(target);
    const loaded = await readManifest(root);
    await sweepImportLeftovers(root);
    const registry = new Registry(root, options);
    if (loaded.migratedFrom !== null) await registry.migrate();
    return registry;
  }

  static async openOrCreate(dir: string, options: RegistryOptions = {}): Promise<Registry> {
    const root = path.resolve(dir);
    const hasManifest = await fs.stat(manifestPath(root)).then(
      () => true,
      () => false,
    );
    return hasManifest ? Registry.open(root, options) : Registry.create(root, options);
  }

  private async migrate(): Promise<void> {
    await withLock(
      this.dir,
      async () => {
        // Re-read under the lock: another process may have migrated it meanwhile.
        const loaded = await readManifest(this.dir);
        if (loaded.migratedFrom === null) return;
        await backupManifest(this.dir, loaded.raw);
        await writeManifest(this.dir, loaded.manifest);
      },
      this.lockOptions,
    );
  }

  /** Runs `fn` under the lock with a fresh, repaired manifest. */
  private async write<T>(fn: (manifest: Manifest) => Promise<T>): Promise<T> {
    return withLock(
      this.dir,
      async () => {
        const loaded = await readManifest(this.dir);
        if (loaded.migratedFrom !== null) {
          await backupManifest(this.dir, loaded.raw);
          await writeManifest(this.dir, loaded.manifest);
        }
        await this.rollForward(loaded.manifest);
        return fn(loaded.manifest);
      },
      this.lockOptions,
    );
  }

  /**
   * Deployment events are appended before the manifest changes; if a writer
   * died in between, the log holds the intent and is applied here.
   */
  private async rollForward(manifest: Manifest): Promise<void> {
    const { events } = await readDeployments(this.dir);
    let changed = false;
    const latestAlias = new Map<string, AliasEvent>();
    for (const e of events) {
      if (isAliasEvent(e)) latestAlias.set(`${e.model}\u0000${e.alias}`, e);
      else {
        const entry = manifest.models[e.model];
        if (entry && !(entry.archived ?? []).includes(e.version)) {
          entry.archived = [...(entry.archived ?? []), e.version];
          changed = true;
        }
      }
    }
    for (const e of latestAlias.values()) {
      const entry = manifest.models[e.model];
      if (!entry || entry.aliases[e.alias] === e.to) continue;
      const exists = await fs.stat(path.join(versionDir(this.dir, e.model, e.to), 'version.json')).then(
        () => true,
        () => false,
      );
      if (exists) {
        entry.aliases[e.alias] = e.to;
        changed = true;
      }
    }
    if (changed) await writeManifest(this.dir, manifest);
  }

  async manifest(): Promise<Manifest> {
    return (await readManifest(this.dir)).manifest;
  }

  // ── reading ──────────────────────────────────────────────────────────────

  async listModels(): Promise<ModelSummary[]> {
    const manifest = await this.manifest();
    const names = [...new Set([...(await listModelFolders(this.dir)), ...Object.keys(manifest.models)])].sort();
    return Promise.all(
      names.map(async (name) => {
        const entry = manifest.models[name];
        const records = await readAllVersionRecords(this.dir, name);
        const archived = entry?.archived ?? [];
        const live = records
          .map((r) => r.version)
          .filter((v) => !archived.includes(v))
          .sort(compareSemver);
        const earliest = records.map((r) => r.createdAt).sort()[0];
        return {
          name,
          createdAt: entry?.createdAt ?? earliest ?? '',
          aliases: { ...(entry?.aliases ?? {}) },
          versionCount: records.length,
          latest: live.at(-1) ?? null,
          archived: [...archived],
        };
      }),
    );
  }

  /** Versions sorted by semver with their aliases; archived ones only when asked. */
  async listVersions(model: string, options: ListOptions = {}): Promise<VersionMeta[]> {
    assertName(model, 'model');
    const manifest = await this.manifest();
    const records = await readAllVersionRecords(this.dir, model);
    if (records.length === 0 && !manifest.models[model]) throw this.unknownModel(model);
    const entry = manifest.models[model];
    return records
      .map((r) => attach(r, entry))
      .filter((m) => options.includeArchived || !m.archived)
      .sort((a, b) => compareSemver(a.version, b.version));
  }

  async getVersion(model: string, version: string): Promise<VersionMeta> {
    assertName(model, 'model');
    assertVersion(version, 'version');
    const [record, manifest] = await Promise.all([readVersionRecord(this.dir, model, version), this.manifest()]);
    return attach(record, manifest.models[model]);
  }

  /** A version by number, by alias, or (neither given) the highest non-archived one. */
  async resolve(model: string, by: { version?: string; alias?: string } = {}): Promise<VersionMeta> {
    assertName(model, 'model');
    if (by.version !== undefined && by.alias !== undefined) {
      throw new GreenLensError('invalid_input', 'Give either a version or an alias, not both.', { field: 'alias' });
    }
    if (by.version !== undefined) return this.getVersion(model, by.version);
    if (by.alias !== undefined) {
      const alias = assertName(by.alias, 'alias');
      const entry = (await this.manifest()).models[model];
      const version = entry?.aliases[alias];
      if (!version) {
        const known = Object.keys(entry?.aliases ?? {});
        throw new GreenLensError(
          'not_found',
          `Model ${model} has no alias ${alias}${known.length ? ` (aliases: ${known.join(', ')})` : ''}.`,
          {
            field: 'alias',
            file: this.manifestFile,
          },
        );
      }
      return this.getVersion(model, version);
    }
    const latest = (await this.listVersions(model)).at(-1);
    // A damaged version.json hides its version: name the file rather than say "no versions"
    // or silently fall back to an older version.
    const { damaged } = await readVersionRecordsReport(this.dir, model);
    const hidden = damaged
      .filter((d) => !latest || compareSemver(d.version, latest.version) > 0)
      .sort((a, b) => compareSemver(b.version, a.version))[0];
    if (hidden) {
      throw new GreenLensError('corrupt', `${model} ${hidden.version}: ${hidden.file} is ${hidden.message}.`, {
        file: hidden.file,
        hint: 'Restore the file from a backup or export, or archive that version; `greenlens registry verify` lists every problem.',
      });
    }
    if (!latest)
      throw new GreenLensError('not_found', `Model ${model} has no versions yet.`, { field: 'model', file: modelDir(this.dir, model) });
    return latest;
  }

  /** The model.json bytes, checked against the sha256 and size in version.json. */
  async loadArtifact(model: string, version: string): Promise<Buffer> {
    const meta = await this.getVersion(model, version);
    return this.loadChecked(model, version, meta.artifact, 'model artifact');
  }

  /** The reference.json bytes, checked like the artifact. */
  async loadReference(model: string, version: string): Promise<Buffer> {
    const meta = await this.getVersion(model, version);
    return this.loadChecked(model, version, meta.reference, 'drift reference');
  }

  private async loadChecked(model: string, version: string, ref: FileRef, what: string): Promise<Buffer> {
    if (path.basename(ref.file) !== ref.file) {
      throw new GreenLensError(
        'corrupt',
        `version.json of ${model} ${version} names an invalid ${what} file ${JSON.stringify(ref.file)}.`,
        {
          file: path.join(versionDir(this.dir, model, version), 'version.json'),
        },
      );
    }
    const file = path.join(versionDir(this.dir, model, version), ref.file);
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new GreenLensError('corrupt', `The ${what} of ${model} ${version} is missing: ${file}.`, { file });
      }
      throw ioError(error, file, 'read');
    }
    if (data.length !== ref.bytes || sha256Hex(data) !== ref.sha256) {
      throw new GreenLensError('corrupt', `The ${what} ${file} does not match its checksum (the file was changed or damaged).`, {
        file,
        hint: 'Restore the registry from an export, or register the model again.',
      });
    }
    return data;
  }

  async history(model?: string): Promise<DeploymentEvent[]> {
    if (model !== undefined) assertName(model, 'model');
    const { events } = await readDeployments(this.dir);
    return model === undefined ? events : events.filter((e) => e.model === model);
  }

  async compare(model: string, a: string, b: string): Promise<CompareResult> {
    assertName(model, 'model');
    const [ra, rb] = await Promise.all([
      readVersionRecord(this.dir, model, assertVersion(a, 'a')),
      readVersionRecord(this.dir, model, assertVersion(b, 'b')),
    ]);
    return compareRecords(ra, rb);
  }

  async verify(): Promise<VerifyResult> {
    return verifyRegistry(this.dir);
  }

  // ── writing ──────────────────────────────────────────────────────────────

  async registerVersion(input: RegisterInput): Promise<VersionMeta> {
    const checked = checkRegistration(input);
    // Hash outside the lock: it is the slow part for big artifacts.
    const artifact: FileRef = { file: ARTIFACT_FILE, sha256: sha256Hex(checked.artifact), bytes: checked.artifact.length };
    const reference: FileRef = { file: REFERENCE_FILE, sha256: sha256Hex(checked.reference), bytes: checked.reference.length };
    return this.write(async (manifest) => {
      await cleanStaging(this.dir, checked.model);
      const existing = await listVersionFolders(this.dir, checked.model);
      const version = checked.version ?? nextPatch(existing);
      if (existing.includes(version)) {
        throw new GreenLensError('conflict', `Model ${checked.model} already has a version ${version}; versions are immutable.`, {
          field: 'version',
          file: versionDir(this.dir, checked.model, version),
          hint: 'Leave the version out to take the next patch number.',
        });
      }
      const now = new Date().toISOString();
      const record: VersionRecord = {
        model: checked.model,
        version,
        createdAt: now,
        params: checked.params,
        metrics: checked.metrics,
        trainingData: checked.trainingData,
        tags: checked.tags,
        description: checked.description,
        artifact,
        reference,
        ...(checked.lineage ? { lineage: checked.lineage } : {}),
      };
      await commitVersion(this.dir, record, checked.artifact, checked.reference);
      // The folder is the truth; the manifest entry is added after, and readers cope if a crash skips it.
      if (!manifest.models[checked.model]) {
        manifest.models[checked.model] = { createdAt: now, aliases: {} };
        await writeManifest(this.dir, manifest);
      }
      return attach(record, manifest.models[checked.model]);
    });
  }

  async setTags(model: string, version: string, tags: string[]): Promise<VersionMeta> {
    const clean = checkTags(tags);
    return this.rewrite(model, version, (r) => ({ ...r, tags: clean }));
  }

  async setDescription(model: string, version: string, description: string): Promise<VersionMeta> {
    const clean = checkDescription(description);
    return this.rewrite(model, version, (r) => ({ ...r, description: clean }));
  }

  private async rewrite(model: string, version: string, change: (r: VersionRecord) => VersionRecord): Promise<VersionMeta> {
    assertName(model, 'model');
    assertVersion(version, 'version');
    return this.write(async (manifest) => {
      const updated = change(await readVersionRecord(this.dir, model, version));
      await rewriteVersionRecord(this.dir, updated);
      return attach(updated, manifest.models[model]);
    });
  }

  /** Points `alias` at `version` and records who did it and why. */
  async promote(model: string, version: string, alias: string, actor: DeploymentActor): Promise<AliasEvent> {
    assertName(model, 'model');
    assertVersion(version, 'version');
    assertName(alias, 'alias');
    const reason = checkReason(actor);
    return this.write(async (manifest) => {
      await readVersionRecord(this.dir, model, version);
      const entry = this.entryFor(manifest, model);
      if ((entry.archived ?? []).includes(version)) {
        throw new GreenLensError('conflict', `Version ${version} of ${model} is archived and cannot be promoted.`, { field: 'version' });
      }
      const from = entry.aliases[alias] ?? null;
      if (from === version) {
        throw new GreenLensError('conflict', `Alias ${alias} of ${model} already points at ${version}.`, { field: 'alias' });
      }
      const event: AliasEvent = {
        time: new Date().toISOString(),
        model,
        alias,
        action: 'promote',
        from,
        to: version,
        reason,
        user: actor.user ?? this.user,
        ...(actor.evaluation ? { evaluation: actor.evaluation } : {}),
      };
      await this.applyAliasEvent(manifest, entry, event);
      return event;
    });
  }

  /** Moves `alias` back one step in its history (see aliasStack): never forward again to the version it left. */
  async rollback(model: string, alias: string, actor: DeploymentActor): Promise<AliasEvent> {
    assertName(model, 'model');
    assertName(alias, 'alias');
    const reason = checkReason(actor);
    return this.write(async (manifest) => {
      const entry = this.entryFor(manifest, model);
      const target = rollbackTarget((await readDeployments(this.dir)).events, model, alias);
      if (target === null) {
        throw new GreenLensError('not_found', `Alias ${alias} of ${model} has no earlier version to roll back to.`, { field: 'alias' });
      }
      await readVersionRecord(this.dir, model, target);
      if ((entry.archived ?? []).includes(target)) {
        throw new GreenLensError('conflict', `Cannot roll ${alias} back to ${target}: that version of ${model} is archived.`, {
          field: 'alias',
        });
      }
      const event: AliasEvent = {
        time: new Date().toISOString(),
        model,
        alias,
        action: 'rollback',
        from: entry.aliases[alias] ?? null,
        to: target,
        reason,
        user: actor.user ?? this.user,
      };
      await this.applyAliasEvent(manifest, entry, event);
      return event;
    });
  }

  /** Hides a version from default listings; it stays readable and verifiable. */
  async archive(model: string, version: string, actor: DeploymentActor): Promise<ArchiveEvent> {
    assertName(model, 'model');
    assertVersion(version, 'version');
    const reason = checkReason(actor);
    return this.write(async (manifest) => {
      await readVersionRecord(this.dir, model, version);
      const entry = this.entryFor(manifest, model);
      const archived = entry.archived ?? [];
      if (archived.includes(version))
        throw new GreenLensError('conflict', `Version ${version} of ${model} is already archived.`, { field: 'version' });
      const holders = Object.entries(entry.aliases)
        .filter(([, v]) => v === version)
        .map(([a]) => a);
      if (holders.length > 0) {
        throw new GreenLensError(
          'conflict',
          `Version ${version} of ${model} is still ${holders.join(', ')}; promote another version first.`,
          { field: 'version' },
        );
      }
      const event: ArchiveEvent = {
        time: new Date().toISOString(),
        model,
        action: 'archive',
        version,
        reason,
        user: actor.user ?? this.user,
      };
      await appendDeployment(this.dir, event);
      entry.archived = [...archived, version];
      await writeManifest(this.dir, manifest);
      return event;
    });
  }

  private async applyAliasEvent(manifest: Manifest, entry: ModelEntry, event: AliasEvent): Promise<void> {
    await appendDeployment(this.dir, event);
    entry.aliases[event.alias] = event.to;
    await writeManifest(this.dir, manifest);
  }

  /** The manifest entry, created if a crash left versions on disk without one. */
  private entryFor(manifest: Manifest, model: string): ModelEntry {
    const entry = manifest.models[model] ?? { createdAt: new Date().toISOString(), aliases: {} };
    manifest.models[model] = entry;
    return entry;
  }

  private unknownModel(model: string): GreenLensError {
    return new GreenLensError('not_found', `The registry has no model ${model}.`, { field: 'model', file: modelDir(this.dir, model) });
  }
}

function attach(record: VersionRecord, entry: ModelEntry | undefined): VersionMeta {
  const aliases = Object.entries(entry?.aliases ?? {})
    .filter(([, v]) => v === record.version)
    .map(([a]) => a)
    .sort();
  return { ...record, aliases, archived: (entry?.archived ?? []).includes(record.version) };
}

function checkReason(actor: DeploymentActor): string {
  if (typeof actor?.reason !== 'string' || actor.reason.trim() === '' || /[\r\n]/.test(actor.reason)) {
    throw new GreenLensError('invalid_input', 'reason: say in one line why (it is kept in the deployment history).', { field: 'reason' });
  }
  if (actor.user !== undefined && (typeof actor.user !== 'string' || actor.user.trim() === '')) {
    throw new GreenLensError('invalid_input', 'user: must be a non-empty name.', { field: 'user' });
  }
  return actor.reason.trim();
}

/** Accepts the registry folder or its manifest file. */
async function resolveRoot(target: string): Promise<string> {
  const full = path.resolve(target);
  let stat;
  try {
    stat = await fs.stat(full);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GreenLensError('not_found', `No registry at ${full}.`, {
        file: full,
        hint: 'Choose a registry folder or its greenlens-registry.json.',
      });
    }
    throw ioError(error, full, 'open');
  }
  if (stat.isDirectory()) return full;
  if (path.basename(full) === MANIFEST_FILE) return path.dirname(full);
  if (isArchivePath(full)) {
    throw new GreenLensError('unsupported', `${full} is a registry archive; import it into a folder first.`, {
      file: full,
      hint: 'Use Import Registry.',
    });
  }
  throw new GreenLensError('invalid_input', `${full} is neither a registry folder nor a ${MANIFEST_FILE} file.`, { file: full });
}
