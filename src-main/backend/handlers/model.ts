import type { modelOps } from '../../contract/ops/model';
import { explainReading } from '../model/explain';
import { scoreDataset } from '../model/score';
import { trainModel } from '../model/train';
import type { Handlers } from './types';

/** Training, scoring and explanations; the work lives in backend/model/. */
export const modelHandlers: Handlers<keyof typeof modelOps> = {
  'model.train': (args, ctx, state) => trainModel(args, ctx, state),
  'model.score': (args, ctx, state) => scoreDataset(args, ctx, state),
  'model.explain': (args, _ctx, state) => explainReading(args, state),
};
