import { create } from 'zustand';
import type { OpInput } from '../../../src-main/contract';
import type {
  ColumnRole,
  CsvEncodingName,
  CsvPreviewInfo,
  DATE_FORMATS,
  DECIMAL_SEPARATORS,
  MissingPolicyName,
  RAGGED_POLICIES,
} from '../../../src-main/contract/ops/data';
import type { ExplainResult, ScoreResult, TrainResult } from '../../../src-main/contract/ops/model';
import type { VersionList } from '../../../src-main/contract/ops/registry';
import { DEFAULT_ALIAS } from '../../../src-main/contract/shared/registry';
import { bridge, call } from '../api/client';
import { setModel, useRegistry } from './registry';
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
  /** How to read the file; 'auto' = as inferred (the preview says what that was). */
  reading: ReadingChoice;
  /** The user's file name when `path` is an upload copy (web mode), so messages name the user's file. */
  displayName?: string;
}

export interface ReadingChoice {
  delimiter: 'auto' | ',' | ';' | '\t' | '|';
  encoding: CsvEncodingName;
  decimal: (typeof DECIMAL_SEPARATORS)[number];
  dateFormat: (typeof DATE_FORMATS)[number];
  ragged: (typeof RAGGED_POLICIES)[number];
}

const AUTO_READING: ReadingChoice = { delimiter: 'auto', encoding: 'auto', decimal: 'auto', dateFormat: 'auto', ragged: 'error' };

/** The reading options as op input: 'auto' delimiter is left out (detected). */
function readingInput(r: ReadingChoice) {
  return {
    ...(r.delimiter === 'auto' ? {} : { delimiter: r.delimiter }),
    encoding: r.encoding,
    decimal: r.decimal,
    dateFormat: r.dateFormat,
  };
}

/** '' = the default (production, else latest); 'alias:NAME' or 'version:X.Y.Z'. */
export type VersionChoice = '' | `alias:${string}` | `version:${string}`;

interface ModelState {
  draft: ImportDraft | null;
  lastTrain: TrainResult | null;
  versions: VersionList | null;
  score: ScoreResult | null;
  explanation: ExplainResult | null;
  /** Row being explained (selected marker or table row). */
  selectedRow: number | null;
}

export const useModel = create<ModelState>(() => ({
  draft: null,
  lastTrain: null,
  versions: null,
  score: null,
  explanation: null,
  selectedRow: null,
}));

function stripExtension(name: string): string {
  return name.replace(/\.[^.]+$/, '') || name;
}

/** Closes the import preview; a web upload that was not imported is deleted on the host. */
export function discardDraft(): void {
  const d = useModel.getState().draft;
  useModel.setState({ draft: null });
  if (d) void bridge.discardUpload?.(d.path);
}

/** Reads the start of the file and opens the role editor. `uploaded`: path is an upload copy of fileName. */
export async function openForImport(path: string, fileName: string, uploaded = false): Promise<void> {
  const previous = useModel.getState().draft;
  if (previous && previous.path !== path) void bridge.discardUpload?.(previous.path);
  const displayName = uploaded ? fileName : undefined;
  const preview = await tryCall('data.preview', { path, rows: 8, ...(displayName ? { displayName } : {}) }, 'Reading the CSV');
  if (!preview) return;
  const roles = Object.fromEntries(preview.columns.map((c) => [c.name, c.role]));
  useModel.setState({
    draft: {
      path,
      name: stripExtension(fileName),
      preview,
      roles,
      missing: 'drop',
      reading: AUTO_READING,
      ...(displayName ? { displayName } : {}),
    },
  });
}

/** Reads the file again with changed reading options; the roles follow the new inference. */
export async function setReading(change: Partial<ReadingChoice>): Promise<void> {
  const d = useModel.getState().draft;
  if (!d) return;
  const reading = { ...d.reading, ...change };
  useModel.setState({ draft: { ...d, reading } });
  if (Object.keys(change).every((k) => k === 'ragged')) return;
  const preview = await tryCall(
    'data.preview',
    { path: d.path, rows: 8, ...readingInput(reading), ...(d.displayName ? { displayName: d.displayName } : {}) },
    `Reading ${d.displayName ?? d.name}`,
  );
  const now = useModel.getState().draft;
  if (!preview || !now || now.path !== d.path) return;
  const roles = Object.fromEntries(preview.columns.map((c) => [c.name, c.role]));
  useModel.setState({ draft: { ...now, preview, roles } });
}

/** A File from a file input or a drop: its path in the desktop app, an upload in web mode. */
export async function openFile(file: File): Promise<void> {
  try {
    if (bridge.kind === 'electron' && bridge.pathOf) return await openForImport(bridge.pathOf(file), file.name);
    if (!bridge.upload) throw new Error('This window cannot read local files.');
    const uploaded = await bridge.upload(file);
    await openForImport(uploaded.path, file.name, true);
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
  const input = {
    path: d.path,
    roles: d.roles,
    missing: d.missing,
    ragged: d.reading.ragged,
    name: d.name,
    ...readingInput(d.reading),
    ...(d.displayName ? { displayName: d.displayName } : {}),
  };
  const ds = await runJob('data.import', input, `Importing ${d.name}`);
  if (!ds) return;
  useModel.setState({ draft: null });
  useApp.getState().setCurrentDataset(ds.id);
}

export async function train(input: OpInput<'model.train'>): Promise<void> {
  const r = await runJob('model.train', input, 'Training model');
  if (!r) return;
  useModel.setState({ lastTrain: r });
  // What was just trained becomes the selection every tab follows (scoring included).
  if (useRegistry.getState().model !== r.model) setModel(r.model);
  else await refreshVersions();
}

/** Moves `production` to the trained version; the registry records the reason. */
export async function promote(version: string, reason: string): Promise<boolean> {
  const model = useModel.getState().lastTrain?.model ?? useRegistry.getState().model;
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
  const model = useRegistry.getState().model;
  try {
    const versions = await call('versions.list', { model });
    if (useRegistry.getState().model === model) useModel.setState({ versions });
  } catch {
    useModel.setState({ versions: null });
  }
}

export async function scoreCurrent(choice: VersionChoice, log: boolean): Promise<void> {
  const datasetId = useApp.getState().currentDatasetId;
  if (!datasetId) return;
  const model = useRegistry.getState().model;
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
    // The selected model changed (Models tab, a training): the picker lists its versions.
    useRegistry.subscribe((s, prev) => {
      if (s.model !== prev.model) {
        useModel.setState({ versions: null });
        void refreshVersions();
      }
    }),
    onTopic('versions', () => void refreshVersions()),
    onTopic('deployments', () => void refreshVersions()),
    onTopic('registry', () => {
      useModel.setState({ lastTrain: null, score: null, explanation: null });
      void refreshVersions();
    }),
    // A score belongs to the dataset it was made on: selecting another dataset hides it rather than showing it beside that one.
    useApp.subscribe((s, prev) => {
      if (s.currentDatasetId === prev.currentDatasetId) return;
      const m = useModel.getState();
      if (m.score && m.score.datasetId !== s.currentDatasetId) useModel.setState({ score: null, explanation: null, selectedRow: null });
    }),
  ];
  return () => offs.forEach((off) => off());
}
