import type { Handlers } from './types';

export const appHandlers: Handlers<'app.ping' | 'jobs.list'> = {
  'app.ping': (_args, _ctx, state) => ({ pong: true, pid: process.pid, uptimeMs: Date.now() - state.startedAt }),
  'jobs.list': () => ({ running: [] }),
};
