import { create } from 'zustand';
import type { OpInput } from '../../../src-main/contract';
import type { ColumnRole, CsvPreviewInfo, MissingPolicyName } from '../../../src-main/contract/ops/data';
import type { ExplainResult, ScoreResult, TrainResult } from '../../../src-main/contract/ops/model';
import type { VersionList } from '../../../src-main/contract/ops/registry';
import { DEFAULT_ALIAS } from '../../../src-main/contract/shared/registry';
import { bridge, call } from '../api/client';
import { onTopic, runJob, tryCall, useApp } from './store';

/**
 * The Data tab's model workflow: import a CSV (preview → roles → import),
 * train, promote, score, explain. Shared here so each panel stays small and
 * a result survives switching tabs.
 */

export interface ImportDraft {
  /** Path on the host (a picked file, a dropped file, or an upload in web mode). */
  path: string;
  /** Dataset name (the original file name, without extension). */
  name: string;
  preview: CsvPreviewInfo;
  roles: Record<string, ColumnRole>;
  missing: MissingPolicyName;
}

/** '' = the default (production, else latest); 'alias:NAME' or 'version:X.Y.Z'. */
export type VersionChoice = '' | `alias:${string}` | `version:${string}`;

interface ModelState {
  draft: ImportDraft | null;
  modelName: string;
  lastTrain: TrainResult | null;
  versions: VersionList | null;
  score: ScoreResult | null;
  explanation: ExplainResult | null;
  /** Row being explained (selected marker or table row). */
  selectedRow: number | null;
}

export const useModel = create<ModelState>(() => ({
  draft: null,
  modelName: 'energy-anomaly',
  lastTrain: null,
  versions: null,
  score: null,
  explanation: null,
  selectedRow: null,
}));

function stripExtension(name: string): string {
  return name.replace(/\.[^.]+$/, '') || name;
}

/** Reads the start of the file and opens the role editor. */
export async function openForImport(path: string, fileName: string): Promise<void> {
  const preview = await tryCall('data.preview', { path, rows: 8 }, 'Reading the CSV');
  if (!preview) return;
  const roles = Object.fromEntries(preview.columns.map((c) => [c.name, c.role]));
  useModel.setState({ draft: { path, name: stripExtension(fileName), preview, roles, missing: 'drop' } });
}

/** A File from a file input or a drop: its path in the desktop app, an upload in web mode. */
export async function openFile(file: File): Promise<void> {
  try {
    if (bridge.kind === 'electron' && bridge.pathOf) return await openForImport(bridge.pathOf(file), file.name);
    if (!bridge.upload) throw new Error('This window cannot read local files.');
    const uploaded = await bridge.upload(file);
    await openForImport(uploaded.path, file.name);
  } catch (error) {
    useApp.getState().showError(`Opening ${file.name}`, error);
  }
}

/** Desktop app: the native dialog. */
export async function pickCsv(): Promise<void> {
  const r = await tryCall('dialog.pick', { kind: 'csv' }, 'Choosing a CSV file');
  if (r?.path) await openForImport(r.path, r.path.split(/[\\/]/).pop() ?? r.path);
}

export function setDraft(change: Partial<Pick<ImportDraft, 'roles' | 'missing' | 'name'>>): void {
  useModel.setState((s) => (s.draft ? { draft: { ...s.draft, ...change } } : {}));
}

export async function importDraft(): Promise<void> {
  const d = useModel.getState().draft;
  if (!d) return;
  const ds = await runJob('data.import', { path: d.path, roles: d.roles, missing: d.missing, name: d.name }, `Importing ${d.name}`);
  if (!ds) return;
  useModel.setState({ draft: null });
  useApp.getState().setCurrentDataset(ds.id);
}

export async function train(input: OpInput<'model.train'>): Promise<void> {
  const r = await runJob('model.train', input, 'Training model');
  if (!r) return;
  useModel.setState({ lastTrain: r, modelName: r.model });
  // The versions event arrived while the old model name was current; list the trained model's versions now.
  await refreshVersions();
}

/** Moves `production` to the trained version; the registry records the reason. */
export async function promote(version: string, reason: string): Promise<boolean> {
  const model = useModel.getState().modelName;
  const r = await tryCall('versions.promote', { model, version, alias: DEFAULT_ALIAS, reason }, `Promoting ${model} ${version}`);
  if (!r) return false;
  const meta = await tryCall('versions.show', { model, version }, 'Reloading the version');
  useModel.setState((s) =>
    s.lastTrain && meta && s.lastTrain.version === version ? { lastTrain: { ...s.lastTrain, versionMeta: meta } } : {},
  );
  return true;
}

/** Versions for the score picker; silent when the model has none yet (the picker says so). */
export async function refreshVersions(): Promise<void> {
  const model = useModel.getState().modelName;
  try {
    useModel.setState({ versions: await call('versions.list', { model }) });
  } catch {
    useModel.setState({ versions: null });
  }
}

export async function scoreCurrent(choice: VersionChoice, log: boolean): Promise<void> {
  const datasetId = useApp.getState().currentDatasetId;
  if (!datasetId) return;
  const model = useModel.getState().modelName;
  const pick = choice.startsWith('alias:') ? { alias: choice.slice(6) } : choice.startsWith('version:') ? { version: choice.slice(8) } : {};
  const r = await runJob('model.score', { datasetId, model, log, ...pick }, 'Scoring');
  if (r) useModel.setState({ score: r, explanation: null, selectedRow: null });
}

export async function explain(row: number): Promise<void> {
  const s = useModel.getState().score;
  if (!s) return;
  useModel.setState({ selectedRow: row });
  const r = await tryCall(
    'model.explain',
    { datasetId: s.datasetId, model: s.model, version: s.version, row, topK: 5 },
    'Explaining the reading',
  );
  if (r && useModel.getState().selectedRow === row) useModel.setState({ explanation: r });
}

/** Keeps the picker fresh when anyone (this tab, the Models tab, a CLI) registers or promotes. */
export function watchVersions(): () => void {
  const offs = [
    onTopic('versions', () => void refreshVersions()),
    onTopic('deployments', () => void refreshVersions()),
    onTopic('registry', () => {
      useModel.setState({ lastTrain: null, score: null, explanation: null });
      void refreshVersions();
    }),
  ];
  return () => offs.forEach((off) => off());
}
