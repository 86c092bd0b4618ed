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
  // Several calls arrive at once on start-up (header, tabs): they must share one
  // open, or two of them race to create the default registry and one fails.
  const target = resolve(state.registryPath);
  const inFlight = opening.get(state);
  if (inFlight && inFlight.path === target) return inFlight.promise;
  const promise = openOrCreate(target).then((registry) => {
    // Only adopt it if no switch happened meanwhile.
    if (state.registryPath && resolve(state.registryPath) === target) {
      state.registry = registry;
      state.registryPath = registry.dir;
    }
    return registry;
  });
  opening.set(state, { path: target, promise });
  try {
    return await promise;
  } finally {
    if (opening.get(state)?.promise === promise) opening.delete(state);
  }
}

const opening = new WeakMap<BackendState, { path: string; promise: Promise<Registry> }>();

/** Another process (the CLI, a second window) may create it between our check and our create: then open theirs. */
async function openOrCreate(dir: string): Promise<Registry> {
  try {
    return await Registry.openOrCreate(dir);
  } catch (error) {
    if (!(error instanceof GreenLensError) || error.code !== 'conflict') throw error;
    // A folder that is merely non-empty stays an error: opening it fails and the original message is the clearer one.
    return Registry.open(dir).catch(() => {
      throw error;
    });
  }
}

/**
 * Switches the backend to another registry and tells every UI. `beforeAdopt` runs once the target opened and
 * while the old registry is still the current one (a live source is stopped there).
 */
export async function switchRegistry(
  state: BackendState,
  ctx: JobContext,
  target: string,
  how: 'open' | 'create',
  beforeAdopt?: (registry: Registry) => Promise<void>,
): Promise<Registry> {
  const registry = how === 'create' ? await Registry.create(target) : await Registry.open(target);
  await beforeAdopt?.(registry);
  state.registry = registry;
  state.registryPath = registry.dir;
  ctx.emit({ type: 'registry', path: registry.dir });
  return registry;
}

/** The open registry's folder for dataset storage, or null when the backend has no registry (resolved lazily). */
export function registryDirOf(state: BackendState): () => Promise<string | null> {
  return async () => (state.registryPath ? (await currentRegistry(state)).dir : null);
}
