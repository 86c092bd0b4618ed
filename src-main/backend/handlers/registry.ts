import { resolve } from 'node:path';
import { verifyAlertFiles, withAlertProblems } from '../alerts/verify';
import type { ChangedEvent } from '../../contract';
import { GreenLensError } from '../../contract';
import type { registryOps } from '../../contract/ops/registry';
import { exportRegistry, importRegistry, type Registry } from '../../core/registry';
import type { JobContext } from '../job';
import { registryInfo, versionList } from '../registry/info';
import { pickModel, withModel } from '../registry/pick-model';
import { defaultImportTarget, withArchiveExtension } from '../registry/share';
import { stopLiveOnSwitch } from '../live/live-source';
import { currentRegistry, switchRegistry } from '../registry-access';
import type { BackendState } from '../state';
import type { Handlers } from './types';
import { endRunOnPromotion } from '../loop/ab';

function changed(ctx: JobContext, ...topics: ChangedEvent['topic'][]): void {
  for (const topic of topics) ctx.emit({ type: 'changed', topic });
}

/** Tags after applying replace, then add, then remove; order kept, no duplicates. */
function nextTags(current: string[], args: { tags?: string[]; add?: string[]; remove?: string[] }): string[] {
  const base = args.tags ?? current;
  const removed = new Set(args.remove ?? []);
  return [...new Set([...base, ...(args.add ?? [])])].filter((t) => !removed.has(t));
}

async function tagVersion(
  registry: Registry,
  args: { model: string; version: string; tags?: string[]; add?: string[]; remove?: string[]; description?: string },
) {
  if (args.tags === undefined && args.add === undefined && args.remove === undefined && args.description === undefined) {
    throw new GreenLensError('invalid_input', 'Nothing to change: give tags, tags to add or remove, or a description.', { field: 'tags' });
  }
  let meta = await registry.getVersion(args.model, args.version);
  const tags = nextTags(meta.tags, args);
  if (tags.join('\u0000') !== meta.tags.join('\u0000')) meta = await registry.setTags(args.model, args.version, tags);
  if (args.description !== undefined && args.description !== meta.description) {
    meta = await registry.setDescription(args.model, args.version, args.description);
  }
  return meta;
}

/** A live source keeps logging into the registry it was started on only: another one opened stops it. */
function switchTo(state: BackendState, ctx: JobContext, path: string, how: 'open' | 'create'): Promise<Registry> {
  return switchRegistry(state, ctx, path, how, (registry) => stopLiveOnSwitch(state, registry.dir));
}

/**
 * The registry operations (ARCHITECTURE §4). Every read goes through
 * currentRegistry (so the default registry is created on first use); every
 * switch goes through switchRegistry (so every UI hears about it); every
 * write says which topic changed so views refetch only that.
 */
export const registryHandlers: Handlers<keyof typeof registryOps> = {
  'registry.info': async (_args, _ctx, state) => registryInfo(await currentRegistry(state)),
  'registry.open': async ({ path }, ctx, state) => registryInfo(await switchTo(state, ctx, path, 'open')),
  'registry.create': async ({ path }, ctx, state) => registryInfo(await switchTo(state, ctx, path, 'create')),

  'registry.verify': async (_args, ctx, state) => {
    const registry = await currentRegistry(state);
    ctx.progress('verifying checksums', 0, 1);
    const result = withAlertProblems(await registry.verify(), await verifyAlertFiles(registry.dir));
    ctx.progress('verifying checksums', 1, 1);
    return result;
  },

  'registry.export': async ({ archive }, ctx, state) => {
    const registry = await currentRegistry(state);
    ctx.progress('packing', 0, 1);
    // No progress call after the write: it throws when cancelled, and the archive already exists by then.
    const out = await exportRegistry(registry.dir, withArchiveExtension(archive));
    return { archive: out.file, bytes: out.bytes, files: out.files };
  },

  'registry.import': async ({ archive, target }, ctx, state) => {
    ctx.progress('unpacking and verifying', 0, 1);
    const dir = target ?? (await defaultImportTarget(archive));
    const imported = await importRegistry(archive, dir);
    // No cancellation point after this: the import is on disk, so it is opened too
    // rather than left as a folder nobody asked for and nobody sees.
    const registry = await switchTo(state, ctx, imported.dir, 'open');
    return { ...(await registryInfo(registry)), archive: resolve(archive), verify: imported.verify };
  },

  'versions.list': async ({ model, includeArchived }, _ctx, state) => {
    const registry = await currentRegistry(state);
    return versionList(registry, await pickModel(registry, model), includeArchived);
  },
  'versions.show': async ({ model, version }, _ctx, state) => {
    const registry = await currentRegistry(state);
    return registry.getVersion(await pickModel(registry, model), version);
  },
  'versions.compare': async ({ model, a, b }, _ctx, state) => {
    const registry = await currentRegistry(state);
    return registry.compare(await pickModel(registry, model), a, b);
  },

  'versions.promote': async ({ model, version, alias, reason }, ctx, state) => {
    const registry = await currentRegistry(state);
    const event = await registry.promote(await pickModel(registry, model), version, alias, { reason });
    // Promoting an A/B or shadow run's challenger ends the run: there is no other arm left.
    if (await endRunOnPromotion(state, event.model, alias, version)) ctx.emit({ type: 'changed', topic: 'ab' });
    changed(ctx, 'versions', 'deployments');
    return { event };
  },
  'versions.rollback': async ({ model, alias, reason }, ctx, state) => {
    const registry = await currentRegistry(state);
    const event = await registry.rollback(await pickModel(registry, model), alias, { reason });
    changed(ctx, 'versions', 'deployments');
    return { event };
  },
  'versions.archive': async ({ model, version, reason }, ctx, state) => {
    const registry = await currentRegistry(state);
    const event = await registry.archive(await pickModel(registry, model), version, { reason });
    changed(ctx, 'versions', 'deployments');
    return { event };
  },
  'versions.tag': async (args, ctx, state) => {
    const registry = await currentRegistry(state);
    const meta = await tagVersion(registry, await withModel(registry, args));
    changed(ctx, 'versions');
    return meta;
  },

  'deployments.history': async ({ model }, _ctx, state) => ({ events: await (await currentRegistry(state)).history(model) }),
};
