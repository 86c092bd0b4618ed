import { resolve } from 'node:path';
import { GreenLensError } from '../contract';
import { Registry } from '../core/registry';
import type { JobContext } from './job';
import type { BackendState } from './state';

/**
 * The registry every handler works on. The path the backend started with (the
 * user's default registry, or the one named on the command line) is created on
 * first use, so a first launch just works; a registry the user opens later
 * must already exist.
 */
export async function currentRegistry(state: BackendState): Promise<Registry> {
  if (!state.registryPath) {
    throw new GreenLensError('not_found', 'No registry is open.', { hint: 'Open or create a registry (File ▸ Open Registry…).' });
  }
  if (state.registry && state.registry.dir === resolve(state.registryPath)) return state.registry;
  state.registry = await Registry.openOrCreate(state.registryPath);
  state.registryPath = state.registry.dir;
  return state.registry;
}

/** Switches the backend to another registry and tells every UI. */
export async function switchRegistry(
  state: BackendState,
  ctx: JobContext,
  target: string,
  how: 'open' | 'create',
): Promise<Registry> {
  const registry = how === 'create' ? await Registry.create(target) : await Registry.open(target);
  state.registry = registry;
  state.registryPath = registry.dir;
  ctx.emit({ type: 'registry', path: registry.dir });
  return registry;
}
