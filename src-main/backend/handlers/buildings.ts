import type { buildingOps } from '../../contract/ops/buildings';
import { buildingDetail } from '../buildings/detail';
import { buildingList } from '../buildings/list';
import { buildingReadings } from '../buildings/readings';
import { withModel } from '../registry/pick-model';
import { currentRegistry } from '../registry-access';
import type { Handlers } from './types';

/** The per-building view (ARCHITECTURE §6c); the work lives in backend/buildings/. */
export const buildingHandlers: Handlers<keyof typeof buildingOps> = {
  'buildings.list': async (args, _ctx, state) => buildingList(args, state),
  'buildings.readings': async (args, ctx, state) => buildingReadings(args, ctx, state),
  'buildings.detail': async (args, ctx, state) => buildingDetail(await withModel(await currentRegistry(state), args), ctx, state),
};
