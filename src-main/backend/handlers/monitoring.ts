import type { monitoringOps } from '../../contract/ops/monitoring';
import type { Handlers } from './types';

export const monitoringHandlers: Handlers<keyof typeof monitoringOps> = {};
