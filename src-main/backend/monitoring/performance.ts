import type { ModelNamed } from '../registry/pick-model';
import type { OpArgs } from '../../contract';
import type { LogStats, PerformanceResult } from '../../contract/shared/monitoring';
import { summarizeLog, type PredictionLog } from '../../core/monitoring';
import { modelFeedback } from '../feedback/store';
import { predictionLog } from '../prediction-sink';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';

/** Chart budget per series (ARCHITECTURE §8a): the renderer never downsamples. */
export const MAX_TREND_POINTS = 2_000;

export function logStats(log: PredictionLog): LogStats {
  return { ...log.stats(), versions: log.versions().map(({ model, version, records }) => ({ model, version, records })) };
}

/** monitoring.performance: straight from the request index, so 10M logged readings stay fast. */
export async function performanceSummary(
  args: ModelNamed<OpArgs<'monitoring.performance'>>,
  state: BackendState,
): Promise<PerformanceResult> {
  const started = performance.now();
  const log = await predictionLog(state);
  const window =
    args.lastN !== undefined
      ? { last: args.lastN }
      : { ...(args.fromMs !== undefined ? { fromMs: args.fromMs } : {}), ...(args.toMs !== undefined ? { toMs: args.toMs } : {}) };
  const summary = await summarizeLog(log, { model: args.model, ...window, maxTrendPoints: MAX_TREND_POINTS });
  return {
    ...summary,
    model: args.model,
    window: describeWindow(args, summary.predictions),
    log: logStats(log),
    feedback: await modelFeedback((await currentRegistry(state)).dir, args.model),
    elapsedMs: Math.round(performance.now() - started),
  };
}

function describeWindow(args: ModelNamed<OpArgs<'monitoring.performance'>>, predictions: number): string {
  const n = predictions.toLocaleString('en-US');
  if (args.lastN !== undefined) return `last ${args.lastN.toLocaleString('en-US')} predictions (${n} logged)`;
  if (args.fromMs !== undefined || args.toMs !== undefined) {
    const from = args.fromMs !== undefined ? new Date(args.fromMs).toISOString() : 'the start';
    const to = args.toMs !== undefined ? new Date(args.toMs).toISOString() : 'now';
    return `${n} predictions from ${from} to ${to}`;
  }
  return `all ${n} logged predictions`;
}
