import type { registryOps } from '../../contract/ops/registry';
import type { Handlers } from './types';

export const registryHandlers: Handlers<keyof typeof registryOps> = {};
