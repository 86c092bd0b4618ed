import { create } from 'zustand';
import type { ErrorInfo, GreenLensEvent, OpInput, OpOutput, OpName } from '../../../src-main/contract';
import type { AppInfo } from '../../../src-main/contract/ops/app';
import type { DatasetInfo } from '../../../src-main/contract/ops/data';
import type { Settings } from '../../../src-main/contract/settings';
import type { HealthStatus } from '../../../src-main/contract/shared/monitoring';
import { call, cancel, errorInfo, newRequestId, on, onConnection } from '../api/client';
import { setLiveStatus } from './live';

export const TABS = ['overview', 'data', 'drift', 'performance', 'models', 'settings', 'alerts', 'automation', 'dashboards'] as const;
export type TabId = (typeof TABS)[number];

export interface Job {
  requestId: string;
  op: string;
  label: string;
  phase: string;
  done: number;
  total: number;
  startedAt: number;
  /** Cancel was pressed; the job ends at its next progress report. */
  cancelling?: boolean;
}

/** The model the header shows: the registry's production version, else the newest. */
export interface ActiveModel {
  model: string;
  version: string;
  alias: string | null;
}

export interface Banner extends ErrorInfo {
  id: number;
  context: string;
}

interface AppState {
  tab: TabId;
  info: AppInfo | null;
  settings: Settings | null;
  jobs: Record<string, Job>;
  banners: Banner[];
  datasets: DatasetInfo[];
  currentDatasetId: string | null;
  activeModel: ActiveModel | null;
  health: HealthStatus | null;
  /** False while the web-mode server does not answer. */
  connected: boolean;
  setTab(tab: TabId): void;
  showError(context: string, error: unknown): void;
  /** A later success of the same action makes its old error banner obsolete. */
  clearErrors(context: string): void;
  dismiss(id: number): void;
  setCurrentDataset(id: string | null): void;
}

let bannerSeq = 0;

export const useApp = create<AppState>((set) => ({
  tab: 'overview',
  info: null,
  settings: null,
  jobs: {},
  banners: [],
  datasets: [],
  currentDatasetId: null,
  activeModel: null,
  health: null,
  connected: true,
  setTab: (tab) => set({ tab }),
  showError: (context, error) =>
    set((s) => {
      const info = errorInfo(error);
      // While the server is gone the header says so once; a banner per failed refresh would only pile up.
      if (!s.connected && info.code === 'io') return {};
      return { banners: [...s.banners.slice(-3), { ...info, id: ++bannerSeq, context }] };
    }),
  dismiss: (id) => set((s) => ({ banners: s.banners.filter((b) => b.id !== id) })),
  clearErrors: (context) =>
    set((s) => (s.banners.some((b) => b.context === context) ? { banners: s.banners.filter((b) => b.context !== context) } : {})),
  setCurrentDataset: (id) => set({ currentDatasetId: id }),
}));

/**
 * Runs a long operation as a job: it appears in the progress area with a
 * Cancel button until it settles. Errors become a banner unless `quiet`.
 */
export async function runJob<K extends OpName>(op: K, input: OpInput<K>, label: string): Promise<OpOutput<K> | null> {
  const requestId = newRequestId(op);
  useApp.setState((s) => ({
    jobs: { ...s.jobs, [requestId]: { requestId, op, label, phase: 'starting', done: 0, total: 0, startedAt: Date.now() } },
  }));
  try {
    const value = await call(op, input, { requestId });
    useApp.getState().clearErrors(label);
    return value;
  } catch (error) {
    const info = errorInfo(error);
    if (info.code !== 'cancelled') useApp.getState().showError(label, error);
    return null;
  } finally {
    useApp.setState((s) => {
      const jobs = { ...s.jobs };
      delete jobs[requestId];
      return { jobs };
    });
  }
}

export function cancelJob(requestId: string): void {
  useApp.setState((s) => {
    const job = s.jobs[requestId];
    return job ? { jobs: { ...s.jobs, [requestId]: { ...job, cancelling: true } } } : {};
  });
  cancel(requestId);
}

/** A short call whose failure becomes a banner; resolves to null on failure. */
export async function tryCall<K extends OpName>(op: K, input: OpInput<K>, context: string): Promise<OpOutput<K> | null> {
  try {
    const value = await call(op, input);
    useApp.getState().clearErrors(context);
    return value;
  } catch (error) {
    useApp.getState().showError(context, error);
    return null;
  }
}

export async function refreshDatasets(): Promise<void> {
  const r = await tryCall('data.list', {}, 'Loading datasets');
  if (!r) return;
  useApp.setState((s) => {
    // A dataset removed elsewhere (or left behind in another registry) is no longer the current one.
    const kept = r.datasets.some((d) => d.id === s.currentDatasetId) ? s.currentDatasetId : null;
    return { datasets: r.datasets, currentDatasetId: kept ?? r.datasets.at(-1)?.id ?? null };
  });
}

export async function refreshShell(): Promise<void> {
  const [info, settings] = await Promise.all([tryCall('app.info', {}, 'Starting'), tryCall('settings.get', {}, 'Loading settings')]);
  useApp.setState({ info, settings });
}

type Topic = Extract<GreenLensEvent, { type: 'changed' }>['topic'] | 'registry';
const topicListeners = new Map<Topic, Set<() => void>>();

/**
 * Views register what to refetch when the backend says a topic changed (or the
 * registry was switched); each state module registers its own refreshers.
 */
export function onTopic(topic: Topic, refresh: () => void): () => void {
  const set = topicListeners.get(topic) ?? new Set();
  set.add(refresh);
  topicListeners.set(topic, set);
  return () => set.delete(refresh);
}

function fire(topic: Topic): void {
  for (const refresh of topicListeners.get(topic) ?? []) refresh();
}

/**
 * Back from a disconnection: drop the "server did not answer" banners and
 * refetch everything, since anything may have changed meanwhile.
 */
function reconnected(): void {
  useApp.setState((s) => ({ connected: true, banners: s.banners.filter((b) => b.code !== 'io' || !/did not answer/.test(b.message)) }));
  void refreshShell();
  void refreshDatasets();
  for (const topic of ['versions', 'deployments', 'predictions', 'datasets'] as const) fire(topic);
}

/** Wires backend events into the store once, at start-up. */
export function connectEvents(): () => void {
  const offConnection = onConnection((connected) => (connected ? reconnected() : useApp.setState({ connected: false })));
  const offEvents = on((event) => {
    switch (event.type) {
      case 'progress':
        useApp.setState((s) => {
          const job = s.jobs[event.jobId];
          if (!job) return {};
          return { jobs: { ...s.jobs, [event.jobId]: { ...job, phase: event.phase, done: event.done, total: event.total } } };
        });
        return;
      case 'registry':
        // Datasets live inside the registry: the old list and choice belong to the one just closed.
        useApp.setState({ datasets: [], currentDatasetId: null });
        void refreshShell();
        void refreshDatasets();
        fire('registry');
        return;
      case 'changed':
        if (event.topic === 'datasets') void refreshDatasets();
        if (event.topic === 'settings') void refreshShell();
        fire(event.topic);
        return;
      case 'live':
        setLiveStatus(event.status);
        return;
      case 'menu':
        if (event.command === 'show-tab' && event.tab && (TABS as readonly string[]).includes(event.tab)) {
          useApp.getState().setTab(event.tab as TabId);
        }
        return;
    }
  });
  return () => {
    offConnection();
    offEvents();
  };
}
