import { GreenLensError } from '../../contract';
import type { VersionMeta } from '../../contract/shared/registry';
import { validateProfile, InvalidProfileError } from '../../core/drift/profile-schema';
import type { ReferenceProfile } from '../../core/drift/profile';
import type { Registry } from '../../core/registry';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';

/** The alias that marks the deployed version (DESIGN §4). */
export const PRODUCTION_ALIAS = 'production';

export interface ResolvedVersion {
  registry: Registry;
  meta: VersionMeta;
  /** The alias the version was reached by, or the production alias when it points here. */
  alias: string | null;
}

/**
 * A version by number or alias; with neither, the model's "current" version:
 * the production alias when set, else the newest non-archived version.
 */
export async function resolveVersion(
  state: BackendState,
  model: string,
  by: { version?: string; alias?: string } = {},
): Promise<ResolvedVersion> {
  const registry = await currentRegistry(state);
  if (by.version || by.alias) {
    const meta = await registry.resolve(model, by);
    return { registry, meta, alias: by.alias ?? (meta.aliases.includes(PRODUCTION_ALIAS) ? PRODUCTION_ALIAS : null) };
  }
  const production = (await registry.manifest()).models[model]?.aliases[PRODUCTION_ALIAS];
  const meta = production ? await registry.getVersion(model, production) : await registry.resolve(model);
  return { registry, meta, alias: production ? PRODUCTION_ALIAS : null };
}

/** Like resolveVersion, but null when the model has no versions yet (a fresh registry). */
export async function currentVersionOrNull(state: BackendState, model: string): Promise<ResolvedVersion | null> {
  const registry = await currentRegistry(state);
  const known = (await registry.listModels()).find((m) => m.name === model);
  if (!known || known.latest === null) return null;
  return resolveVersion(state, model);
}

/** Parsed reference profiles by registry, model and version: versions are immutable, so they never go stale. */
const profiles = new WeakMap<Registry, Map<string, ReferenceProfile>>();

export async function loadProfile(registry: Registry, model: string, version: string): Promise<ReferenceProfile> {
  let byKey = profiles.get(registry);
  if (!byKey) profiles.set(registry, (byKey = new Map()));
  const key = `${model}@${version}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const bytes = await registry.loadReference(model, version);
  let profile: ReferenceProfile;
  try {
    profile = validateProfile(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    const detail = error instanceof InvalidProfileError || error instanceof SyntaxError ? error.message : String(error);
    throw new GreenLensError('corrupt', `The drift reference of ${model} ${version} cannot be read: ${detail}`, {
      hint: 'Retrain the version, or run `greenlens registry verify`.',
    });
  }
  byKey.set(key, profile);
  return profile;
}
