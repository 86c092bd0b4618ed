import type { modelOps } from '../../contract/ops/model';
import type { Handlers } from './types';

export const modelHandlers: Handlers<keyof typeof modelOps> = {};
