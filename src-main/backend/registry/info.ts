import type { RegistryInfo, VersionList } from '../../contract/ops/registry';
import { DEFAULT_MODEL } from '../../contract/shared/registry';
import { GreenLensError } from '../../contract';
import { CURRENT_FORMAT_VERSION, rollbackTarget, type Registry } from '../../core/registry';

/** What the UI and CLI show about an open registry. */
export async function registryInfo(registry: Registry): Promise<RegistryInfo> {
  const [manifest, models] = await Promise.all([registry.manifest(), registry.listModels()]);
  // An opened registry is always migrated to the current format, so this is what is on disk now.
  return { path: registry.dir, formatVersion: CURRENT_FORMAT_VERSION, createdAt: manifest.createdAt, models };
}

/**
 * Versions of a model with its aliases. The default model of a fresh
 * registry lists as empty (the UI shows "train a model"); any other unknown
 * name is an error that says which models exist.
 */
export async function versionList(registry: Registry, model: string, includeArchived: boolean): Promise<VersionList> {
  try {
    const [versions, manifest, history] = await Promise.all([
      registry.listVersions(model, { includeArchived }),
      registry.manifest(),
      registry.history(model),
    ]);
    const aliases = { ...(manifest.models[model]?.aliases ?? {}) };
    const rollbackTo: Record<string, string> = {};
    for (const alias of Object.keys(aliases)) {
      const target = rollbackTarget(history, model, alias);
      if (target !== null) rollbackTo[alias] = target;
    }
    return { model, aliases, rollbackTo, versions };
  } catch (error) {
    if (!(error instanceof GreenLensError) || error.code !== 'not_found' || error.info.field !== 'model') throw error;
    if (model === DEFAULT_MODEL) return { model, aliases: {}, rollbackTo: {}, versions: [] };
    const known = (await registry.listModels()).map((m) => m.name);
    throw new GreenLensError(
      'not_found',
      `The registry has no model ${model}${known.length ? ` (models: ${known.join(', ')})` : ' (it has no models yet)'}.`,
      {
        field: 'model',
        file: registry.dir,
      },
    );
  }
}
