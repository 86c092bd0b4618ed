import type { WorkerOpName } from '../../contract';
import { abHandlers } from './ab';
import { alertHandlers } from './alerts';
import { appHandlers } from './app';
import { buildingHandlers } from './buildings';
import { dataHandlers } from './data';
import { liveHandlers } from './live';
import { loopHandlers } from './loop';
import { modelHandlers } from './model';
import { monitoringHandlers } from './monitoring';
import { registryHandlers } from './registry';
import { reportHandlers } from './report';
import type { Handlers } from './types';

/** The implementation side of the contract's worker operations: one entry per op. */
export const handlers: Handlers<WorkerOpName> = {
  ...appHandlers,
  ...dataHandlers,
  ...registryHandlers,
  ...modelHandlers,
  ...monitoringHandlers,
  ...liveHandlers,
  ...alertHandlers,
  ...loopHandlers,
  ...reportHandlers,
  ...buildingHandlers,
  ...abHandlers,
};
