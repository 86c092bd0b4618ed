import type { WorkerOpName } from '../../contract';
import { appHandlers } from './app';
import { dataHandlers } from './data';
import type { Handlers } from './types';

/** The implementation side of the contract's worker operations: one entry per op. */
export const handlers: Handlers<WorkerOpName> = {
  ...appHandlers,
  ...dataHandlers,
};
