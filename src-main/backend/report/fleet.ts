import type { FleetBuilding, FleetResult } from '../../contract/shared/report';
import { driftReport } from '../../core/drift/report';
import { MIN_DRIFT_ROWS } from '../monitoring/health';
import { readBuildingNames } from '../monitoring/buildings';
import { driftThresholds, trendReference } from '../monitoring/drift';
import { currentVersionOrNull } from '../monitoring/versions';
import { loadProfile } from '../model/versions';
import { predictionLog } from '../prediction-sink';
import type { BackendState } from '../state';

/** Rows per building kept for its drift check: enough for PSI, bounded memory for 100+ buildings. */
const MAX_ROWS_PER_BUILDING = 20_000;

/**
 * buildings.fleet: every building of the model's logged readings (data time
 * [fromMs, toMs)) with its readings, flagged readings and anomaly rate, and its
 * drift against the current version's reference (the newest readings of each
 * building, null below the health check's minimum). Readings without a
 * building are counted apart.
 */
export async function fleet(
  args: { model: string; fromMs?: number | undefined; toMs?: number | undefined },
  state: BackendState,
): Promise<FleetResult> {
  const started = performance.now();
  const current = await currentVersionOrNull(state, args.model);
  const log = await predictionLog(state);
  const names = current ? await readBuildingNames(current.registry.dir) : [];
  const profile = current ? await loadProfile(current.registry, current.meta) : null;
  const features = profile ? profile.features.map((f) => f.name) : [];
  const fromMs = args.fromMs ?? Number.NEGATIVE_INFINITY;
  const toMs = args.toMs ?? Number.POSITIVE_INFINITY;
  // Per building, the newest MAX_ROWS_PER_BUILDING values of each feature in a ring (a shift per reading was quadratic).
  const counts = new Map<number, { readings: number; anomalies: number; values: Float64Array[]; times: Float64Array; kept: number }>();
  await log.scan({ model: args.model, columns: features }, (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const t = chunk.time[i]!;
      if (t < fromMs || t >= toMs) continue;
      const slot = chunk.building[i]!;
      let c = counts.get(slot);
      if (!c) counts.set(slot, (c = { readings: 0, anomalies: 0, values: [], times: new Float64Array(0), kept: 0 }));
      c.readings++;
      c.anomalies += chunk.flag[i]!;
      if (slot === 0 || !profile) continue;
      if (c.values.length === 0) {
        c.values = features.map(() => new Float64Array(MAX_ROWS_PER_BUILDING));
        c.times = new Float64Array(MAX_ROWS_PER_BUILDING);
      }
      // Newest win: the log is in time order, so the ring overwrites the oldest once full.
      const at = c.kept % MAX_ROWS_PER_BUILDING;
      for (let j = 0; j < features.length; j++) c.values[j]![at] = chunk.features[features[j]!]![i]!;
      c.times[at] = t;
      c.kept++;
    }
  });
  const thresholds = driftThresholds(state.settings.thresholds);
  const reference = profile ? trendReference(profile) : null;
  const buildings: FleetBuilding[] = [];
  for (const [slot, c] of counts) {
    if (slot === 0) continue;
    const kept = Math.min(c.kept, MAX_ROWS_PER_BUILDING);
    // One KS per building and feature: against the 1,000-value reference subsample, as the drift trend (PSI keeps the exact bins).
    const report =
      profile && kept >= MIN_DRIFT_ROWS
        ? driftReport(reference!, Object.fromEntries(features.map((f, j) => [f, c.values[j]!.subarray(0, kept)])), thresholds, {
            times: c.times.subarray(0, kept),
          })
        : null;
    buildings.push({
      id: names[slot - 1] ?? `#${slot}`,
      readings: c.readings,
      anomalies: c.anomalies,
      anomalyRate: c.readings ? c.anomalies / c.readings : 0,
      driftScore: report ? report.driftScore : null,
      driftedFeatures: report ? report.driftedFeatures : [],
    });
  }
  buildings.sort((a, b) => b.anomalies - a.anomalies || (b.driftScore ?? -1) - (a.driftScore ?? -1) || a.id.localeCompare(b.id));
  return {
    model: args.model,
    version: current?.meta.version ?? null,
    buildings,
    unknownReadings: counts.get(0)?.readings ?? 0,
    elapsedMs: Math.round(performance.now() - started),
  };
}
