import { DEFAULT_ALIAS, type VersionMeta } from '../../contract/shared/registry';
import type { Registry } from '../../core/registry';
import { resolveVersion } from '../model/versions';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';

export interface ResolvedVersion {
  registry: Registry;
  meta: VersionMeta;
  /** The alias the version was reached by, or the production alias when it points here. */
  alias: string | null;
}

/** The version a drift report or health check is about (resolved as for scoring), with its registry and alias. */
export async function resolveWithAlias(
  state: BackendState,
  model: string,
  by: { version?: string; alias?: string } = {},
): Promise<ResolvedVersion> {
  const registry = await currentRegistry(state);
  const meta = await resolveVersion(registry, model, by);
  return { registry, meta, alias: by.alias ?? (meta.aliases.includes(DEFAULT_ALIAS) ? DEFAULT_ALIAS : null) };
}

/** Like resolveWithAlias, but null when the model has no versions yet (a fresh registry). */
export async function currentVersionOrNull(state: BackendState, model: string): Promise<ResolvedVersion | null> {
  const registry = await currentRegistry(state);
  const known = (await registry.listModels()).find((m) => m.name === model);
  if (!known || known.latest === null) return null;
  return resolveWithAlias(state, model);
}
