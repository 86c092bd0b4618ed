import { GreenLensError, isHostOp, parseRequest, type WorkerOpName } from '../contract';
import { handlers } from './handlers';
import type { Handler } from './handlers/types';
import type { JobContext } from './job';
import type { BackendState } from './state';

/**
 * Validates one request against the contract and runs its handler. Shared by
 * the worker (Electron and web mode) and the CLI (in process).
 */
export async function dispatch(op: unknown, input: unknown, ctx: JobContext, state: BackendState): Promise<unknown> {
  const req = parseRequest(op, input);
  if (isHostOp(req.op)) {
    throw new GreenLensError('unknown_op', `Operation "${req.op}" is served by the app host, not the backend worker.`);
  }
  const handler = handlers[req.op as WorkerOpName] as Handler<WorkerOpName>;
  return handler(req.args as never, ctx, state);
}
