import type { abOps } from '../../contract/ops/ab';
import { listRuns, reportRun, startRun, stopRun } from '../loop/ab';
import type { Handlers } from './types';

/** A/B and shadow runs (issue 12 item 4); the work lives in backend/loop/ab.ts. */
export const abHandlers: Handlers<keyof typeof abOps> = {
  'ab.start': async (args, ctx, state) => {
    const run = await startRun({ ...args, mode: 'ab' }, state);
    ctx.emit({ type: 'changed', topic: 'ab' });
    return { run };
  },
  'ab.shadow': async (args, ctx, state) => {
    const run = await startRun({ ...args, share: 0, by: 'building', mode: 'shadow' }, state);
    ctx.emit({ type: 'changed', topic: 'ab' });
    return { run };
  },
  'ab.stop': async (args, ctx, state) => {
    const run = await stopRun(args, state);
    ctx.emit({ type: 'changed', topic: 'ab' });
    return { run };
  },
  'ab.list': async (args, _ctx, state) => ({ runs: await listRuns(args.model, state) }),
  'ab.report': (args, _ctx, state) => reportRun(args, state),
};
