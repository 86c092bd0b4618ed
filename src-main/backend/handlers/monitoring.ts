import { DAY_MS } from '../../core/data/calendar';
import type { monitoringOps } from '../../contract/ops/monitoring';
import { DEFAULT_MODEL } from '../../contract/shared/registry';
import { runDriftReport } from '../monitoring/drift';
import { modelHealth } from '../monitoring/health';
import { logStats, performanceSummary } from '../monitoring/performance';
import { predictionLog, prunePredictions } from '../prediction-sink';
import { pickModel, withModel } from '../registry/pick-model';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';
import type { Handlers } from './types';

/** The saved hot window and retention as a prune policy (retention 0 = no age limit). */
function prunePolicy(state: BackendState): { keepLast: number; olderThanMs: number | null } {
  const { hotWindow, retentionDays } = state.settings.monitoring;
  return { keepLast: hotWindow, olderThanMs: retentionDays > 0 ? Date.now() - retentionDays * DAY_MS : null };
}

export const monitoringHandlers: Handlers<keyof typeof monitoringOps> = {
  'drift.report': async (args, ctx, state) => {
    // A reference CSV against a CSV or dataset needs no registry (and may have none open).
    const fromLog = 'lastN' in args.current || 'fromMs' in args.current;
    const noRegistry = args.reference !== undefined && !args.version && !args.alias && !fromLog;
    const named = noRegistry ? { ...args, model: args.model ?? DEFAULT_MODEL } : await withModel(await currentRegistry(state), args);
    return runDriftReport(named, ctx, state);
  },
  'monitoring.performance': async (args, _ctx, state) => performanceSummary(await withModel(await currentRegistry(state), args), state),
  'monitoring.health': async (args, _ctx, state) => modelHealth(await pickModel(await currentRegistry(state), args.model), state),
  'monitoring.logStats': async (_args, _ctx, state) => logStats(await predictionLog(state)),
  'monitoring.prunePreview': async (_args, _ctx, state) => {
    const policy = prunePolicy(state);
    const plan = (await predictionLog(state)).prunePlan({
      keepLast: policy.keepLast,
      ...(policy.olderThanMs !== null ? { olderThanMs: policy.olderThanMs } : {}),
    });
    return { ...plan, policy };
  },
  'monitoring.prune': async (_args, ctx, state) => {
    const policy = prunePolicy(state);
    const r = await prunePredictions(state, {
      keepLast: policy.keepLast,
      ...(policy.olderThanMs !== null ? { olderThanMs: policy.olderThanMs } : {}),
    });
    if (r.removedRecords > 0) ctx.emit({ type: 'changed', topic: 'predictions' });
    return { ...r, policy, log: logStats(await predictionLog(state)) };
  },
};
