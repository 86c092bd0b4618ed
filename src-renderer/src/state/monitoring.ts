import { create } from 'zustand';
import type { OpInput } from '../../../src-main/contract';
import type { DriftResult, HealthResult, LogStats, PerformanceResult, PrunePreview } from '../../../src-main/contract/ops/monitoring';
import { fmtBytes } from '../components/format';
import { useBuilding } from './building';
import { useRegistry } from './registry';
import { onTopic, runJob, tryCall, useApp } from './store';

/**
 * Monitoring slice: health (Overview and the header badge), the Drift tab's
 * report and its request, the Performance tab's summary, prediction-log stats.
 * Everything is computed in the worker; this only holds the latest answers and
 * refetches when the backend says predictions, versions, the registry or the
 * settings changed.
 */

export type DriftWindow =
  { kind: 'lastN'; n: number } | { kind: 'range'; fromMs: number; toMs: number } | { kind: 'dataset'; datasetId: string };

export interface DriftRequest {
  window: DriftWindow;
  /** null = the model's current version (production, else newest). */
  version: string | null;
  chunkBy: 'auto' | 'hour' | 'day' | 'week' | 'rows';
}

export interface PerformanceWindow {
  lastN: number | null;
}

interface MonitoringState {
  health: HealthResult | null;
  drift: DriftResult | null;
  driftRequest: DriftRequest | null;
  driftRunning: boolean;
  /** The report's selected feature (table row, overlay, trend). */
  selectedFeature: string | null;
  performance: PerformanceResult | null;
  performanceWindow: PerformanceWindow;
  logStats: LogStats | null;
}

export const useMonitoring = create<MonitoringState>(() => ({
  health: null,
  drift: null,
  driftRequest: null,
  driftRunning: false,
  selectedFeature: null,
  performance: null,
  performanceWindow: { lastN: null },
  logStats: null,
}));

/** Every monitoring view follows the model selected in the registry store (Models tab, header). */
const selectedModel = (): string => useRegistry.getState().model;

export async function refreshHealth(): Promise<void> {
  const model = selectedModel();
  const health = await tryCall('monitoring.health', { model }, 'Checking model health');
  // A server that stopped answering changes nothing about the model: keep the last answer (the header says disconnected).
  if (!health && !useApp.getState().connected) return;
  if (model !== selectedModel()) return; // the selection moved on while this was in flight
  useMonitoring.setState({ health });
  // The badge only claims a status once something has been scored: "healthy" with nothing logged would be a guess.
  const judged = health !== null && health.status !== 'no-model' && health.version !== null && (health.performance?.predictions ?? 0) > 0;
  useApp.setState({ health: judged && health.status !== 'no-model' ? health.status : null });
}

function driftInput(req: DriftRequest): OpInput<'drift.report'> {
  const w = req.window;
  const current =
    w.kind === 'lastN' ? { lastN: w.n } : w.kind === 'range' ? { fromMs: w.fromMs, toMs: w.toMs } : { datasetId: w.datasetId };
  const building = useBuilding.getState().building;
  return {
    model: selectedModel(),
    current,
    chunkBy: req.chunkBy,
    ...(req.version ? { version: req.version } : {}),
    ...(building !== null ? { building } : {}),
  };
}

export async function runDrift(req: DriftRequest): Promise<void> {
  useMonitoring.setState({ driftRequest: req, driftRunning: true });
  const asked = useBuilding.getState().building;
  const drift = await runJob('drift.report', driftInput(req), 'Checking drift');
  if (useBuilding.getState().building !== asked) {
    // Another building was picked meanwhile: this answer is about the previous one.
    useMonitoring.setState({ driftRunning: false });
    return runDrift(req);
  }
  useMonitoring.setState((s) => {
    if (!drift) return { driftRunning: false };
    const keep = s.selectedFeature && drift.features.some((f) => f.name === s.selectedFeature);
    // Start on the most drifted feature: that is the one a person wants to look at.
    const top = [...drift.features].sort((a, b) => b.psi - a.psi)[0]?.name ?? null;
    return { drift, driftRunning: false, selectedFeature: keep ? s.selectedFeature : top };
  });
}

export function selectFeature(name: string): void {
  useMonitoring.setState({ selectedFeature: name });
}

export async function refreshPerformance(window: PerformanceWindow = useMonitoring.getState().performanceWindow): Promise<void> {
  useMonitoring.setState({ performanceWindow: window });
  const performance = await tryCall(
    'monitoring.performance',
    { model: selectedModel(), ...(window.lastN ? { lastN: window.lastN } : {}) },
    'Loading performance',
  );
  if (performance) useMonitoring.setState({ performance, logStats: performance.log });
}

export async function refreshLogStats(): Promise<void> {
  const logStats = await tryCall('monitoring.logStats', {}, 'Reading the prediction log');
  if (logStats) useMonitoring.setState({ logStats });
}

/** What Prune now would remove, for the confirmation (nothing is removed). */
export async function previewPrune(): Promise<PrunePreview | null> {
  return tryCall('monitoring.prunePreview', {}, 'Checking what pruning would remove');
}

export async function pruneNow(): Promise<string | null> {
  const r = await tryCall('monitoring.prune', {}, 'Pruning the prediction log');
  if (!r) return null;
  useMonitoring.setState({ logStats: r.log });
  return r.removedRecords > 0
    ? `Removed ${r.removedRecords.toLocaleString('en-US')} predictions (${segmentsTouched(r)}), freeing ${fmtBytes(r.freedBytes)}.`
    : nothingToPrune(r.policy);
}

/** "2 segments deleted, 1 compacted": how a prune frees space. */
export function segmentsTouched(r: { removedSegments: number; compactedSegments: number }): string {
  const parts: string[] = [];
  if (r.removedSegments > 0) parts.push(`${r.removedSegments} segment${r.removedSegments === 1 ? '' : 's'} deleted`);
  if (r.compactedSegments > 0) parts.push(`${r.compactedSegments} segment${r.compactedSegments === 1 ? '' : 's'} compacted`);
  return parts.join(', ');
}

/** Why nothing goes: a segment is compacted only when more than half of it goes, so a small excess waits. */
export function nothingToPrune(policy: PrunePreview['policy']): string {
  return `Nothing to remove: at least half of every segment is among the newest ${policy.keepLast.toLocaleString('en-US')} predictions${policy.olderThanMs ? ' or within the retention period' : ''}.`;
}

/** Coalesces bursts of change events (a scoring run fires several) into one refetch. */
function debounced(fn: () => void, ms = 150): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
}

const refreshLoaded = debounced(() => {
  void refreshHealth();
  const s = useMonitoring.getState();
  if (s.performance) void refreshPerformance();
  if (s.logStats && !s.performance) void refreshLogStats();
  // A report of logged predictions, or any report after a threshold change, is stale: redo it.
  if (s.driftRequest && s.drift && !s.driftRunning) void runDrift(s.driftRequest);
});

for (const topic of ['predictions', 'versions', 'deployments', 'settings'] as const) onTopic(topic, refreshLoaded);
onTopic('registry', () => {
  // Another registry: the old report and request mean nothing there.
  useMonitoring.setState({ drift: null, driftRequest: null, selectedFeature: null });
  refreshLoaded();
});

// Another model selected: its health, performance and drift, not the previous model's.
useRegistry.subscribe((s, prev) => {
  if (s.model === prev.model) return;
  useMonitoring.setState({ health: null, drift: null, driftRequest: null, selectedFeature: null, performance: null });
  void refreshHealth();
});

// Another building picked (on any tab): the drift report shown is of the building picked.
useBuilding.subscribe((s, prev) => {
  if (s.building === prev.building) return;
  const m = useMonitoring.getState();
  // The shown report is of the previous choice: gone, even if the new one fails.
  useMonitoring.setState({ drift: null });
  // A run in flight checks the building when it ends and runs again.
  if (!m.driftRunning && m.driftRequest) void runDrift(m.driftRequest);
});

// The header badge needs health whichever tab opens first.
void refreshHealth();
