import { GreenLensError } from '../../contract';
import type { loopOps } from '../../contract/ops/loop';
import { automationOf, noAutomation } from '../loop/app-watch';
import { evaluateChallenger } from '../loop/evaluate';
import { listJobs } from '../loop/jobs';
import { readRegistryPolicy, scheduleInfo, writeRegistryPolicy } from '../loop/policy';
import { watchOnce } from '../loop/watch';
import { currentRegistry } from '../registry-access';
import type { Handlers } from './types';

/** Automation (issue 12): evaluation, policy, watched folders, job history; the work lives in backend/loop/. */
export const loopHandlers: Handlers<keyof typeof loopOps> = {
  'model.evaluate': (args, ctx, state) => evaluateChallenger(args, ctx, state),
  'policy.get': async (_args, _ctx, state) => {
    const { policy, stored } = await readRegistryPolicy((await currentRegistry(state)).dir);
    return { policy, stored, schedules: await scheduleInfo(policy) };
  },
  'policy.set': async (args, ctx, state) => {
    const schedules = await scheduleInfo(args.policy);
    const bad = schedules.find((s) => s.error);
    if (bad)
      throw new GreenLensError('invalid_input', `schedule "${bad.cron}" is not a valid cron expression: ${bad.error}.`, {
        field: 'policy.schedule',
      });
    await writeRegistryPolicy((await currentRegistry(state)).dir, args.policy);
    ctx.emit({ type: 'changed', topic: 'policy' });
    return { policy: args.policy, schedules };
  },
  'watch.run': (args, ctx, state) => watchOnce(args, ctx, state),
  'automation.status': (_args, _ctx, state) => automationOf(state)?.status() ?? noAutomation(),
  'automation.cancel': (_args, _ctx, state) => ({ cancelled: automationOf(state)?.cancel() ?? false }),
  'jobs.history': async (args, _ctx, state) => ({ jobs: await listJobs((await currentRegistry(state)).dir, args.limit) }),
};
