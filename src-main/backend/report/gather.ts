import { GreenLensError } from '../../contract/shared/errors';
import type { DailyAnomalies, ReportData } from '../../contract/shared/report';
import type { PredictionLog } from '../../core/monitoring';
import type { JobContext } from '../job';
import { runDriftReport } from '../monitoring/drift';
import { modelHealth } from '../monitoring/health';
import { performanceSummary } from '../monitoring/performance';
import { currentVersionOrNull } from '../monitoring/versions';
import { predictionLog } from '../prediction-sink';
import { versionList } from '../registry/info';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';
import { alertsOfPeriod } from './alerts-log';

const DAY_MS = 86_400_000;

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

/** Flagged and total readings per UTC day of the readings' own time, within the period. */
export async function dailyAnomalies(
  log: PredictionLog,
  model: string,
  fromMs: number | null,
  toMs: number | null,
): Promise<DailyAnomalies[]> {
  const byDay = new Map<number, { readings: number; anomalies: number }>();
  await log.scan({ model, columns: [] }, (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const t = chunk.time[i]!;
      if (!Number.isFinite(t) || (fromMs !== null && t < fromMs) || (toMs !== null && t >= toMs)) continue;
      const day = Math.floor(t / DAY_MS) * DAY_MS;
      let d = byDay.get(day);
      if (!d) byDay.set(day, (d = { readings: 0, anomalies: 0 }));
      d.readings++;
      d.anomalies += chunk.flag[i]!;
    }
  });
  return [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([dayMs, d]) => ({ dayMs, ...d }));
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
  const daily = await dailyAnomalies(log, q.model, fromMs, toMs);
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
    buildings: null,
    buildingsNote: 'The prediction log does not record building ids, so anomalies cannot be split by building here.',
    versions,
    deployments,
    comparison,
    alerts,
  };
}
