import { DAY_MS } from '../../core/data/calendar';
import { GreenLensError } from '../../contract/shared/errors';
import type { DailyAnomalies, ReportBuilding, ReportData } from '../../contract/shared/report';
import type { PredictionLog } from '../../core/monitoring';
import type { JobContext } from '../job';
import { readBuildingNames } from '../monitoring/buildings';
import { runDriftReport } from '../monitoring/drift';
import { modelHealth } from '../monitoring/health';
import { performanceSummary } from '../monitoring/performance';
import { currentVersionOrNull } from '../monitoring/versions';
import { predictionLog } from '../prediction-sink';
import { versionList } from '../registry/info';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';
import { alertsOfPeriod } from './alerts-log';
import { explanationSummary } from './explanation-log';

export interface ReportQuery {
  model: string;
  fromMs?: number | undefined;
  toMs?: number | undefined;
}

function periodLabel(fromMs: number | null, toMs: number | null): string {
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  if (fromMs === null && toMs === null) return 'every logged reading';
  if (fromMs === null) return `readings before ${day(toMs!)}`;
  if (toMs === null) return `readings from ${day(fromMs)}`;
  return `readings from ${day(fromMs)} to ${day(toMs)} (data time, UTC)`;
}

/** Flagged and total readings per UTC day of the readings' own time, and per building slot, within the period. */
export async function periodCounts(
  log: PredictionLog,
  model: string,
  fromMs: number | null,
  toMs: number | null,
): Promise<{ daily: DailyAnomalies[]; bySlot: Map<number, { readings: number; anomalies: number }> }> {
  const byDay = new Map<number, { readings: number; anomalies: number }>();
  const bySlot = new Map<number, { readings: number; anomalies: number }>();
  const bump = <K>(m: Map<K, { readings: number; anomalies: number }>, k: K, flag: number): void => {
    let d = m.get(k);
    if (!d) m.set(k, (d = { readings: 0, anomalies: 0 }));
    d.readings++;
    d.anomalies += flag;
  };
  await log.scan({ model, columns: [] }, (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const t = chunk.time[i]!;
      if (!Number.isFinite(t) || (fromMs !== null && t < fromMs) || (toMs !== null && t >= toMs)) continue;
      const flag = chunk.flag[i]!;
      bump(byDay, Math.floor(t / DAY_MS) * DAY_MS, flag);
      bump(bySlot, chunk.building[i]!, flag);
    }
  });
  const daily = [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([dayMs, d]) => ({ dayMs, ...d }));
  return { daily, bySlot };
}

/** Per-building rows from slot counts; readings without a building are said in the note. */
function buildingRows(
  bySlot: Map<number, { readings: number; anomalies: number }>,
  names: string[],
): { buildings: ReportBuilding[] | null; note: string | null } {
  const unknown = bySlot.get(0)?.readings ?? 0;
  const rows: ReportBuilding[] = [];
  for (const [slot, d] of bySlot) {
    if (slot === 0) continue;
    rows.push({
      id: names[slot - 1] ?? `#${slot}`,
      readings: d.readings,
      anomalies: d.anomalies,
      anomalyRate: d.readings ? d.anomalies / d.readings : 0,
    });
  }
  if (rows.length === 0) {
    return {
      buildings: null,
      note: unknown
        ? 'The logged readings of the period carry no building id (scored without an id column, or logged before GreenLens recorded buildings).'
        : 'No readings in the period.',
    };
  }
  const note = unknown ? `${unknown.toLocaleString('en-US')} readings of the period carry no building id and are not in this table.` : null;
  return { buildings: rows, note };
}

/**
 * Everything a report shows, for one model over a period of data time. Parts
 * that cannot be computed (no version, too few readings for drift) are null
 * with a sentence saying why: a report is still worth handing over.
 */
export async function gatherReport(q: ReportQuery, ctx: JobContext, state: BackendState): Promise<ReportData> {
  const registry = await currentRegistry(state);
  const fromMs = q.fromMs ?? null;
  const toMs = q.toMs ?? null;
  if (fromMs !== null && toMs !== null && toMs <= fromMs) {
    throw new GreenLensError('invalid_input', 'The report period ends before it starts: --to must be after --from.', { field: 'toMs' });
  }
  ctx.progress('gathering', 0, 5);
  const health = await modelHealth(q.model, state);
  const current = await currentVersionOrNull(state, q.model);
  ctx.progress('gathering', 1, 5);
  let drift: ReportData['drift'] = null;
  let driftNote: string | null = null;
  if (!current) driftNote = 'No version yet: train one to have a reference to compare with.';
  else {
    const window =
      fromMs !== null || toMs !== null
        ? { fromMs: fromMs ?? 0, toMs: toMs ?? 8.64e15, scope: 'model' as const, time: 'data' as const }
        : { lastN: state.settings.monitoring.driftWindow, scope: 'model' as const };
    try {
      drift = await runDriftReport({ model: q.model, version: current.meta.version, current: window, chunkBy: 'auto' }, ctx, state);
    } catch (error) {
      if (!(error instanceof GreenLensError)) throw error;
      driftNote = `No drift report for this period: ${error.message}`;
    }
  }
  ctx.progress('gathering', 2, 5);
  const log = await predictionLog(state);
  const performance = await performanceSummary({ model: q.model }, state);
  const { daily, bySlot } = await periodCounts(log, q.model, fromMs, toMs);
  const { buildings, note: buildingsNote } = buildingRows(bySlot, await readBuildingNames(registry.dir));
  ctx.progress('gathering', 3, 5);
  const versions = current ? await versionList(registry, q.model, true) : { model: q.model, aliases: {}, rollbackTo: {}, versions: [] };
  const live = versions.versions.filter((v) => !v.archived);
  const newest = live.at(-1);
  const before = live.at(-2);
  const comparison = newest && before ? await registry.compare(q.model, before.version, newest.version) : null;
  const deployments = await registry.history(q.model);
  ctx.progress('gathering', 4, 5);
  const alerts = await alertsOfPeriod(registry.dir, q.model, fromMs, toMs);
  ctx.progress('gathering', 5, 5);
  return {
    generatedAt: new Date().toISOString(),
    registry: registry.dir,
    model: q.model,
    period: { fromMs, toMs, label: periodLabel(fromMs, toMs) },
    health,
    drift,
    driftNote,
    performance,
    daily,
    explanations: await explanationSummary(registry.dir, q.model, fromMs ?? undefined, toMs ?? undefined),
    buildings,
    buildingsNote,
    versions,
    deployments,
    comparison,
    alerts,
  };
}
