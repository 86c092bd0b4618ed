import { create } from 'zustand';
import type { BuildingList } from '../../../src-main/contract/shared/buildings';
import { onTopic, tryCall, useApp } from './store';

/**
 * The building picked on Data, Drift or Performance: one choice shared by the
 * three tabs (null = all buildings). The options are the buildings the
 * prediction log records and the current dataset's ids. The choice is dropped
 * when the registry changes, and when a refreshed list no longer offers it
 * (another dataset without that building, nothing logged for it).
 */
interface BuildingState {
  building: string | null;
  list: BuildingList | null;
}

export const useBuilding = create<BuildingState>(() => ({ building: null, list: null }));

export function pickBuilding(building: string | null): void {
  useBuilding.setState({ building });
}

/** Logged buildings first (in first-seen order), then the dataset's that were never scored; no repeats. */
export function buildingOptions(list: BuildingList | null): string[] {
  if (!list) return [];
  return [...new Set([...list.logged, ...(list.dataset ?? [])])];
}

let seq = 0;

export async function refreshBuildings(): Promise<void> {
  const my = ++seq;
  const datasetId = useApp.getState().currentDatasetId;
  const list = await tryCall('buildings.list', datasetId ? { datasetId } : {}, 'Listing buildings');
  if (!list || my !== seq) return;
  useBuilding.setState((s) => ({ list, building: s.building !== null && buildingOptions(list).includes(s.building) ? s.building : null }));
}

onTopic('registry', () => {
  useBuilding.setState({ building: null, list: null });
  void refreshBuildings();
});
for (const topic of ['predictions', 'datasets'] as const) onTopic(topic, () => void refreshBuildings());
useApp.subscribe((s, prev) => {
  if (s.currentDatasetId !== prev.currentDatasetId) void refreshBuildings();
});
