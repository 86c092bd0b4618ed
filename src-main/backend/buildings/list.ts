import type { BuildingList } from '../../contract/shared/buildings';
import { idColumn } from '../model/columns';
import { readBuildingNames } from '../monitoring/buildings';
import { currentRegistry, registryDirOf } from '../registry-access';
import type { BackendState } from '../state';

/** buildings.list: what a building picker offers, from the log's buildings.json and the dataset's id column. */
export async function buildingList(args: { datasetId?: string | undefined }, state: BackendState): Promise<BuildingList> {
  const logged = state.registryPath ? await readBuildingNames((await currentRegistry(state)).dir) : [];
  if (args.datasetId === undefined) return { logged, dataset: null };
  const ds = await state.datasets.get(args.datasetId, registryDirOf(state));
  const ids = idColumn(ds.table, ds.roles);
  return { logged, dataset: ids ? [...ids.dictionary] : null };
}
