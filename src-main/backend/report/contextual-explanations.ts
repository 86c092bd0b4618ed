import type { VersionMeta } from '../../contract/shared/registry';
import type { ContextualArtifact } from '../../core/model/contextual/serialize';
import type { ContextualScores } from '../../core/model/contextual/types';
import type { Contribution } from '../../core/model/contextual/importance';
import type { Dataset } from '../datasets';
import { idAt, idColumn, numberColumns } from '../model/columns';
import { timeValues } from '../model/contextual-data';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';
import { contextualFlagExplanations, logFlagExplanations } from './explanation-log';

/** Explanation logging for a contextual scoring request that was logged (ARCHITECTURE §6b): the top contributions of each flag. */
export async function logContextualExplanations(
  state: BackendState,
  ds: Dataset,
  meta: VersionMeta,
  a: ContextualArtifact,
  s: ContextualScores,
  requestId: string,
  /** Each flag's top contributions by row, when the scoring threads found them. */
  found: ReadonlyMap<number, Contribution[]> | null = null,
): Promise<void> {
  const m = a.model;
  const time = timeValues(ds, a.timeColumn, 'Explaining flags');
  const temperature = m.temperature ? numberColumns(ds, [m.temperature], 'Explaining flags', 'datasetId')[0]! : null;
  // The building as the log's building slots name it (the dataset's id column).
  const ids = idColumn(ds.table, ds.roles);
  const now = Date.now();
  const flags = contextualFlagExplanations(m, s, { time, temperature }, (i) => idAt(ids, i), now, found);
  await logFlagExplanations((await currentRegistry(state)).dir, { requestId, model: meta.model, version: meta.version, time: now, flags });
}
