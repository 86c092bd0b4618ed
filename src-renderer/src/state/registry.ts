import { create } from 'zustand';
import type {
  CompareResult,
  DeploymentEvent,
  ExportedRegistry,
  ModelSummary,
  VerifyResult,
  VersionList,
  VersionMeta,
} from '../../../src-main/contract/ops/registry';
import { DEFAULT_ALIAS, DEFAULT_MODEL, isArchivePath } from '../../../src-main/contract/shared/registry';
import { onTopic, runJob, tryCall, useApp, type ActiveModel } from './store';

interface RegistryState {
  models: ModelSummary[];
  /** The model the Models tab shows (and the header reports). */
  model: string;
  list: VersionList | null;
  history: DeploymentEvent[];
  includeArchived: boolean;
  /** Version shown in the detail panel. */
  selected: string | null;
  /** Versions ticked for comparison, at most two, in the order ticked. */
  picked: string[];
  comparison: CompareResult | null;
  verify: VerifyResult | null;
  lastExport: ExportedRegistry | null;
}

const initial: RegistryState = {
  models: [],
  model: DEFAULT_MODEL,
  list: null,
  history: [],
  includeArchived: false,
  selected: null,
  picked: [],
  comparison: null,
  verify: null,
  lastExport: null,
};

export const useRegistry = create<RegistryState>(() => initial);

function semverKey(v: string): number[] {
  return v.split('.').map(Number);
}
export function compareSemver(a: string, b: string): number {
  const [x, y] = [semverKey(a), semverKey(b)];
  return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
}

/** Production if the model has it, else the newest live version (what the header shows). */
export function activeFrom(list: VersionList | null): ActiveModel | null {
  if (!list || list.versions.length === 0) return null;
  const prod = list.aliases[DEFAULT_ALIAS];
  if (prod) return { model: list.model, version: prod, alias: DEFAULT_ALIAS };
  const live = list.versions.filter((v) => !v.archived);
  const newest = (live.length ? live : list.versions).at(-1)!;
  return { model: list.model, version: newest.version, alias: null };
}

/**
 * The selected model: the one source of truth for every tab (Models, Score,
 * Overview, Drift, Performance). Keep the current one if it still exists,
 * else the default, else the first.
 */
function chooseModel(models: ModelSummary[], current: string): string {
  const names = models.map((m) => m.name);
  if (names.includes(current)) return current;
  if (names.includes(DEFAULT_MODEL) || names.length === 0) return DEFAULT_MODEL;
  return names[0]!;
}

export async function refreshVersions(): Promise<void> {
  const { model, includeArchived } = useRegistry.getState();
  const list = await tryCall('versions.list', { model, includeArchived }, 'Loading model versions');
  if (!list || list.model !== useRegistry.getState().model) return;
  useRegistry.setState((s) => {
    const known = new Set(list.versions.map((v) => v.version));
    const picked = s.picked.filter((v) => known.has(v));
    return {
      list,
      picked,
      comparison: picked.length === 2 ? s.comparison : null,
      selected: s.selected && known.has(s.selected) ? s.selected : (activeFrom(list)?.version ?? null),
    };
  });
  useApp.setState({ activeModel: activeFrom(list) });
}

export async function refreshHistory(): Promise<void> {
  const r = await tryCall('deployments.history', { model: useRegistry.getState().model }, 'Loading the deployment history');
  if (r) useRegistry.setState({ history: r.events });
}

/** Everything, e.g. after the registry was switched: models first, then that model's versions and history. */
export async function refreshRegistry(): Promise<void> {
  const info = await tryCall('registry.info', {}, 'Loading the registry');
  if (!info) return;
  useRegistry.setState((s) => ({ models: info.models, model: chooseModel(info.models, s.model) }));
  await Promise.all([refreshVersions(), refreshHistory()]);
}

/** Wires the registry views to backend events and loads them once; call at app start. */
export function connectRegistry(): () => void {
  const offs = [
    onTopic('versions', () => {
      void refreshVersions();
      // A new version may be a new model: the first model of an empty registry becomes the selection.
      void tryCall('registry.info', {}, 'Loading the registry').then((info) => {
        if (!info) return;
        const model = chooseModel(info.models, useRegistry.getState().model);
        if (model !== useRegistry.getState().model) setModel(model);
        useRegistry.setState({ models: info.models });
      });
    }),
    onTopic('deployments', () => void refreshHistory()),
    onTopic('registry', () => {
      useRegistry.setState({ selected: null, picked: [], comparison: null, verify: null, lastExport: null, list: null, history: [] });
      void refreshRegistry();
    }),
  ];
  void refreshRegistry();
  return () => offs.forEach((off) => off());
}

export function setModel(model: string): void {
  useRegistry.setState({ model, selected: null, picked: [], comparison: null, list: null, history: [] });
  void refreshVersions();
  void refreshHistory();
}

export function setIncludeArchived(includeArchived: boolean): void {
  useRegistry.setState({ includeArchived });
  void refreshVersions();
}

export function selectVersion(version: string): void {
  useRegistry.setState({ selected: version });
}

/** Ticks or unticks a version; with two ticked, compares older (A) with newer (B). */
export async function togglePick(version: string): Promise<void> {
  const { picked } = useRegistry.getState();
  const next = picked.includes(version) ? picked.filter((v) => v !== version) : [...picked, version].slice(-2);
  useRegistry.setState({ picked: next, comparison: null });
  if (next.length !== 2) return;
  const [a, b] = [...next].sort(compareSemver) as [string, string];
  const model = useRegistry.getState().model;
  const result = await tryCall('versions.compare', { model, a, b }, `Comparing ${a} with ${b}`);
  if (result && useRegistry.getState().picked.join() === next.join()) useRegistry.setState({ comparison: result });
}

export async function promote(version: string, alias: string, reason: string): Promise<boolean> {
  const model = useRegistry.getState().model;
  return (await tryCall('versions.promote', { model, version, alias, reason }, `Promoting ${version} to ${alias}`)) !== null;
}

export async function rollback(alias: string, reason: string): Promise<boolean> {
  const model = useRegistry.getState().model;
  return (await tryCall('versions.rollback', { model, alias, reason }, `Rolling back ${alias}`)) !== null;
}

export async function saveVersionNotes(version: VersionMeta, tags: string[], description: string): Promise<boolean> {
  return (
    (await tryCall('versions.tag', { model: version.model, version: version.version, tags, description }, `Saving ${version.version}`)) !==
    null
  );
}

export async function verifyRegistry(): Promise<void> {
  useRegistry.setState({ verify: null });
  const result = await runJob('registry.verify', {}, 'Verifying the registry');
  if (result) useRegistry.setState({ verify: result });
}

export async function exportRegistry(archive: string): Promise<void> {
  useRegistry.setState({ lastExport: null });
  const result = await runJob('registry.export', { archive }, 'Exporting the registry');
  if (result) useRegistry.setState({ lastExport: result });
}

/** Imports an archive beside itself (or into `target`) and opens it; the registry event refreshes every view. */
export async function importRegistry(archive: string, target?: string): Promise<boolean> {
  return (await runJob('registry.import', { archive, ...(target ? { target } : {}) }, 'Importing the registry')) !== null;
}

/**
 * Opens what a person pointed at: a registry folder, its manifest, or a
 * .greenlens archive (imported beside itself first). Errors become banners.
 */
export async function openRegistryPath(path: string): Promise<boolean> {
  const trimmed = path.trim();
  if (!trimmed) return false;
  if (isArchivePath(trimmed)) return importRegistry(trimmed);
  return (await tryCall('registry.open', { path: trimmed }, `Opening ${trimmed}`)) !== null;
}
