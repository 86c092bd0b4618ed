import type { OpInput, OpOutput, WorkerOpName } from '../../../src-main/contract';
import { dispatch } from '../../../src-main/backend/dispatch';
import { closePredictionLog } from '../../../src-main/backend/prediction-sink';
import { createJobContext } from '../../../src-main/backend/job';
import { createState, type BackendState } from '../../../src-main/backend/state';

/** The backend in process on one registry (as the CLI drives it): operations validated by the contract. */
export function loopBackend(registryPath: string): {
  state: BackendState;
  run<K extends WorkerOpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>>;
  /** Closes what the backend keeps open (the prediction log's write handles), as the worker does on shutdown. */
  close(): Promise<void>;
} {
  const state = createState({ registryPath, lazyDatasetViews: true });
  let seq = 0;
  return {
    state,
    run: async (op, input) => (await dispatch(op, input, createJobContext({ jobId: `t-${++seq}`, op }), state)) as never,
    close: () => closePredictionLog(state),
  };
}
