import { join } from 'node:path';
import { GreenLensError } from '../../contract';
import { DEFAULT_ALIAS, type VersionMeta } from '../../contract/shared/registry';
import type { ReferenceProfile } from '../../core/drift/profile';
import { InvalidProfileError, validateProfile } from '../../core/drift/profile-schema';
import { type FeatureReference, type IForestModel, type Preprocess } from '../../core/model';
import { loadAnyArtifact, type AnyArtifact } from '../../core/model/any-artifact';
import type { ContextualArtifact } from '../../core/model/contextual/serialize';
import type { Registry } from '../../core/registry';
import { versionDir } from '../../core/registry/versions';

/**
 * Which version a request (score, explain, drift, health) means (ARCHITECTURE §4: aliases
 * name deployments): by number or alias; with neither, what is deployed (the
 * production alias), else the newest non-archived version.
 */
export async function resolveVersion(
  registry: Registry,
  model: string,
  by: { version?: string; alias?: string } = {},
): Promise<VersionMeta> {
  if (by.version !== undefined || by.alias !== undefined) return registry.resolve(model, by);
  const deployed = (await registry.manifest()).models[model]?.aliases[DEFAULT_ALIAS];
  return deployed ? registry.getVersion(model, deployed) : registry.resolve(model);
}

export interface LoadedVersion {
  meta: VersionMeta;
  model: IForestModel;
  /** What the inputs go through before the forest ('none' for artifacts older than preprocessing). */
  preprocess: Preprocess;
}

function artifactFile(registry: Registry, meta: VersionMeta): string {
  return join(versionDir(registry.dir, meta.model, meta.version), meta.artifact.file);
}

/**
 * Versions are immutable, so a parsed model is cached by its checksum. Every
 * load still goes through `loadArtifact`, which checks the sha256 recorded in
 * version.json: a damaged file is refused even when a parse is cached.
 */
const models = new Map<string, AnyArtifact>();
const profiles = new Map<string, ReferenceProfile>();
const CACHE_LIMIT = 8;

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

/** A version's model of either kind: the Isolation Forest (with its preprocessing) or the contextual detector. */
export type LoadedDetector =
  ({ kind: 'isolation-forest' } & LoadedVersion) | { kind: 'contextual'; meta: VersionMeta; artifact: ContextualArtifact };

export async function loadDetector(registry: Registry, meta: VersionMeta): Promise<LoadedDetector> {
  const bytes = await registry.loadArtifact(meta.model, meta.version);
  let artifact = models.get(meta.artifact.sha256);
  if (!artifact) {
    try {
      artifact = remember(models, meta.artifact.sha256, loadAnyArtifact(bytes.toString('utf8')));
    } catch (error) {
      const file = artifactFile(registry, meta);
      throw new GreenLensError('corrupt', `${meta.model} ${meta.version}: ${(error as Error).message} (${file}).`, { file });
    }
  }
  if (artifact.kind === 'contextual') return { kind: 'contextual', meta, artifact };
  return { kind: 'isolation-forest', meta, model: artifact.forest, preprocess: artifact.preprocess };
}

/** An Isolation Forest version (drift and other forest-only paths); a contextual version is refused by name. */
export async function loadVersion(registry: Registry, meta: VersionMeta): Promise<LoadedVersion> {
  const d = await loadDetector(registry, meta);
  if (d.kind === 'contextual') {
    throw new GreenLensError(
      'invalid_input',
      `${meta.model} ${meta.version} is a contextual detector; this operation needs an Isolation Forest version.`,
    );
  }
  return { meta, model: d.model, preprocess: d.preprocess };
}

/**
 * The version's reference profile (drift reference and training percentiles). Like
 * models, parses are cached by checksum, and every load checks the file's sha256.
 */
export async function loadProfile(registry: Registry, meta: VersionMeta): Promise<ReferenceProfile> {
  const bytes = await registry.loadReference(meta.model, meta.version);
  const cached = profiles.get(meta.reference.sha256);
  if (cached) return cached;
  try {
    return remember(profiles, meta.reference.sha256, validateProfile(JSON.parse(bytes.toString('utf8')) as unknown));
  } catch (error) {
    const detail = error instanceof InvalidProfileError || error instanceof SyntaxError ? error.message : String(error);
    const file = join(versionDir(registry.dir, meta.model, meta.version), meta.reference.file);
    throw new GreenLensError('corrupt', `The reference profile of ${meta.model} ${meta.version} cannot be read: ${detail}`, {
      file,
      hint: 'Retrain the version, or run `greenlens registry verify`.',
    });
  }
}

/** p05/p50/p95 per feature from the version's reference profile (NaN where a feature had no values). */
export async function referencePercentiles(registry: Registry, meta: VersionMeta): Promise<Record<string, FeatureReference>> {
  const profile = await loadProfile(registry, meta);
  const out: Record<string, FeatureReference> = {};
  for (const f of profile.features) {
    out[f.name] = { p05: f.quantiles?.p05 ?? NaN, p50: f.quantiles?.p50 ?? NaN, p95: f.quantiles?.p95 ?? NaN };
  }
  return out;
}
