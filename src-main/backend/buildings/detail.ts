import type { OpArgs } from '../../contract';
import type { AlertRule, AlertView } from '../../contract/shared/alerts';
import type { BuildingDetail, BuildingRule } from '../../contract/shared/buildings';
import { foldAlerts } from '../../core/alerts/history';
import { driftReport } from '../../core/drift/report';
import { HourCounts } from '../../core/monitoring/performance';
import { readAlertEvents, readRules } from '../alerts/store';
import { readBuildingNames } from '../monitoring/buildings';
import { driftThresholds, trendReference } from '../monitoring/drift';
import { MIN_DRIFT_ROWS } from '../monitoring/health';
import { currentVersionOrNull } from '../monitoring/versions';
import { loadProfile } from '../model/versions';
import { predictionLog } from '../prediction-sink';
import { currentRegistry } from '../registry-access';
import type { JobContext } from '../job';
import type { BackendState } from '../state';
import { HOUR_MS } from '../../contract/shared/time';

/** Newest readings of the building kept for its drift check, as the fleet table keeps (report/fleet.ts). */
const DRIFT_ROWS = 20_000;

/**
 * buildings.detail: one building's logged readings of a model (data time
 * [fromMs, toMs)) in one pass over the log: its readings and flags per hour of
 * data time, its rank in the fleet by flagged readings, its drift against the
 * current version's reference (the fleet's training profile: profiles are not
 * kept per building), and the alert rules and alerts that concern it.
 */
export async function buildingDetail(
  args: OpArgs<'buildings.detail'> & { model: string },
  ctx: JobContext,
  state: BackendState,
): Promise<BuildingDetail> {
  const started = performance.now();
  const registry = await currentRegistry(state);
  const names = await readBuildingNames(registry.dir);
  const slot = names.indexOf(args.building) + 1;
  const current = await currentVersionOrNull(state, args.model);
  const profile = current && slot > 0 ? await loadProfile(current.registry, current.meta) : null;
  const features = profile ? profile.features.map((f) => f.name) : [];
  const fromMs = args.fromMs ?? Number.NEGATIVE_INFINITY;
  const toMs = args.toMs ?? Number.POSITIVE_INFINITY;
  const flaggedBySlot = new Map<number, number>();
  const hours = new HourCounts();
  const versions = new Set<string>();
  let total = 0;
  let totalFlagged = 0;
  let readings = 0;
  let anomalies = 0;
  // Newest DRIFT_ROWS values per feature, as whole chunks dropped oldest first.
  const kept: Float64Array[][] = [];
  let keptRows = 0;
  ctx.progress('reading the prediction log', 0, 1);
  const log = await predictionLog(state);
  await log.scan({ model: args.model, columns: features }, (chunk) => {
    const time: number[] = [];
    const flag: number[] = [];
    const mine: number[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const t = chunk.time[i]!;
      if (t < fromMs || t >= toMs) continue;
      const b = chunk.building[i]!;
      const f = chunk.flag[i]!;
      total++;
      totalFlagged += f;
      if (f) flaggedBySlot.set(b, (flaggedBySlot.get(b) ?? 0) + 1);
      else if (!flaggedBySlot.has(b)) flaggedBySlot.set(b, 0);
      if (slot === 0 || b !== slot) continue;
      mine.push(i);
      time.push(t);
      flag.push(f);
      versions.add(chunk.versions[chunk.versionIndex[i]!]?.version ?? '?');
    }
    if (mine.length === 0) return;
    readings += mine.length;
    for (const f of flag) anomalies += f;
    hours.add(time, flag);
    if (!profile) return;
    // The readings' times last: a version trained on a year is judged against the same weeks of it.
    kept.push([...features.map((name) => Float64Array.from(mine, (i) => chunk.features[name]![i]!)), Float64Array.from(time)]);
    keptRows += mine.length;
    while (kept.length > 1 && keptRows - kept[0]![0]!.length >= DRIFT_ROWS) keptRows -= kept.shift()![0]!.length;
  });
  ctx.progress('reading the prediction log', 1, 1);
  const drift =
    profile && Math.min(keptRows, DRIFT_ROWS) >= MIN_DRIFT_ROWS
      ? (() => {
          const columns = newest(kept, DRIFT_ROWS);
          const values = Object.fromEntries(features.map((name, j) => [name, columns[j]!]));
          return driftReport(trendReference(profile), values, driftThresholds(state.settings.thresholds), {
            times: columns[features.length]!,
          });
        })()
      : null;
  const mineFlagged = flaggedBySlot.get(slot);
  const { rules, alerts, fleetAlerts } = await buildingAlerts(registry.dir, state, args.model, args.building);
  return {
    model: args.model,
    building: args.building,
    readings,
    anomalies,
    anomalyRate: readings ? anomalies / readings : null,
    fleetRate: total ? totalFlagged / total : null,
    rank: readings && mineFlagged !== undefined ? 1 + [...flaggedBySlot].filter(([b, n]) => b !== 0 && n > mineFlagged).length : null,
    buildings: [...flaggedBySlot.keys()].filter((b) => b !== 0).length,
    dataTimeRange: hours.range(),
    trend: hours.trend(ratePoints(hours.range())),
    versions: [...versions],
    driftScore: drift ? drift.driftScore : null,
    driftedFeatures: drift ? drift.driftedFeatures : [],
    rules,
    alerts,
    fleetAlerts,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** A rate reads best per whole hours, days or weeks, and at most this many buckets (a year: per day). */
const RATE_POINTS = 500;
const NICE_HOURS = [1, 2, 3, 6, 12, 24, 48, 168, 336, 720];

/** The bucket count that makes HourCounts widen to a nice width (at most it; never more than RATE_POINTS buckets). */
export function ratePoints(range: { fromMs: number; toMs: number } | null): number {
  if (!range) return RATE_POINTS;
  const span = Math.floor(range.toMs / HOUR_MS) - Math.floor(range.fromMs / HOUR_MS) + 1;
  const width = NICE_HOURS.find((w) => span / w <= RATE_POINTS) ?? Math.ceil(span / RATE_POINTS);
  return Math.max(1, Math.ceil(span / width));
}

function newest(kept: Float64Array[][], n: number): Float64Array[] {
  return (kept[0] ?? []).map((_, j) => {
    const parts = kept.map((k) => k[j]!);
    const rows = parts.reduce((s, p) => s + p.length, 0);
    const all = new Float64Array(rows);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return all.subarray(Math.max(0, rows - n));
  });
}

/** How a rule reaches one building: by name, as one of every building, or about the whole model. */
export function ruleScope(rule: AlertRule, building: string): BuildingRule['scope'] | null {
  if (rule.kind !== 'building-anomaly-rate') return 'fleet';
  if (rule.building === undefined) return 'each-building';
  return rule.building === building ? 'building' : null;
}

/** Rules of the model that concern the building, its own alerts, and the model's fleet-wide alerts. */
export async function buildingAlerts(
  root: string,
  state: BackendState,
  model: string,
  building: string,
): Promise<{ rules: BuildingRule[]; alerts: AlertView[]; fleetAlerts: AlertView[] }> {
  const file = await readRules(root, state.settings.thresholds);
  const rules: BuildingRule[] = [];
  for (const rule of file.rules) {
    if (!rule.enabled || (rule.model !== undefined && rule.model !== model)) continue;
    const scope = ruleScope(rule, building);
    if (scope) rules.push({ rule, scope });
  }
  const history = await readAlertEvents(root);
  const ofModel = foldAlerts(history.events, history.tornLines).alerts.filter((a) => a.model === null || a.model === model);
  return {
    rules,
    alerts: ofModel.filter((a) => a.kind === 'building-anomaly-rate' && a.subject === building),
    fleetAlerts: ofModel.filter((a) => a.kind !== 'building-anomaly-rate'),
  };
}
