import { DEFAULT_SETTINGS, type Settings } from '../contract/settings';
import { silentLogger, type Logger } from '../contract/shared/log';
import type { Registry } from '../core/registry';
import { DatasetStore } from './datasets';
import type { ScoreAhead } from './model/score-ahead';

/** Everything the backend holds between calls. One instance per worker (or CLI run). */
export interface BackendState {
  datasets: DatasetStore;
  settings: Settings;
  /** Folder of the open registry, or null when none is open yet. */
  registryPath: string | null;
  /** The opened registry for registryPath (see registry-access.ts). */
  registry: Registry | null;
  /** Where temporary files (uploads, exports in progress) may be written. */
  tempDir: string;
  /** Script of the extra scoring threads; null scores on this thread only. */
  scoreWorkerScript: string | null;
  /** Where fallbacks and skips are recorded (set by the process edge; silent by default). */
  logger: Logger;
  startedAt: number;
  /** Scoring started before the import of the file to score (the CLI's score): the next import feeds it, the next score uses it. */
  scoreAhead: ScoreAhead | null;
}

export function createState(
  init: Partial<Pick<BackendState, 'settings' | 'registryPath' | 'tempDir' | 'scoreWorkerScript' | 'logger'>> & {
    lazyDatasetViews?: boolean;
  } = {},
): BackendState {
  return {
    datasets: new DatasetStore({ lazyViews: init.lazyDatasetViews ?? false }),
    settings: init.settings ?? DEFAULT_SETTINGS,
    registryPath: init.registryPath ?? null,
    registry: null,
    tempDir: init.tempDir ?? '',
    scoreWorkerScript: init.scoreWorkerScript ?? null,
    logger: init.logger ?? silentLogger,
    startedAt: Date.now(),
    scoreAhead: null,
  };
}
