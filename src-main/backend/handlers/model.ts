import type { modelOps } from '../../contract/ops/model';
import { explainReading } from '../model/explain';
import { scoreDataset } from '../model/score';
import { trainModel } from '../model/train';
import { withModel } from '../registry/pick-model';
import { currentRegistry } from '../registry-access';
import type { Handlers } from './types';

/** Training, scoring and explanations; the work lives in backend/model/. */
export const modelHandlers: Handlers<keyof typeof modelOps> = {
  'model.train': (args, ctx, state) => trainModel(args, ctx, state),
  'model.score': async (args, ctx, state) => scoreDataset(await withModel(await currentRegistry(state), args), ctx, state),
  'model.explain': async (args, _ctx, state) => explainReading(await withModel(await currentRegistry(state), args), state),
};
