import type { OpArgs, OpOutput, WorkerOpName } from '../../contract';
import type { JobContext } from '../job';
import type { BackendState } from '../state';

export type Handler<K extends WorkerOpName> = (args: OpArgs<K>, ctx: JobContext, state: BackendState) => Promise<OpOutput<K>> | OpOutput<K>;

/** A slice of the handler table; the full table must cover every worker op. */
export type Handlers<K extends WorkerOpName> = { [P in K]: Handler<P> };
