import type { FeedbackRecord } from '../../contract/shared/alerts';
import type { Dataset } from '../datasets';
import { idAt, idColumn, timeColumn } from '../model/columns';

/**
 * Labels for training with feedback (`includeFeedback`): a reading a person
 * confirmed as a fault is 1, a false alarm 0, whatever the data's own label
 * said (a person looked at it). Readings are matched by building (the id
 * column) and the reading's timestamp; any version's verdicts count, since the
 * reading is the same whichever version flagged it. Returns null when no row
 * matched and the data has no label, so nothing changes.
 */
export function labelsWithFeedback(
  ds: Dataset,
  label: { name: string; values: Float64Array } | null,
  records: readonly FeedbackRecord[],
  model: string,
): { label: { name: string; values: Float64Array } | null; matched: number } {
  const time = timeColumn(ds.table, ds.roles);
  if (!time) return { label, matched: 0 };
  const ids = idColumn(ds.table, ds.roles);
  const verdicts = new Map<string, number>();
  for (const r of records) if (r.model === model) verdicts.set(`${r.building ?? ''}|${r.dataTime}`, r.verdict === 'fault' ? 1 : 0);
  if (verdicts.size === 0) return { label, matched: 0 };
  const values = label ? Float64Array.from(label.values) : new Float64Array(ds.table.rowCount).fill(Number.NaN);
  let matched = 0;
  for (let i = 0; i < values.length; i++) {
    const v = verdicts.get(`${idAt(ids, i) ?? ''}|${time[i]!}`);
    if (v === undefined) continue;
    values[i] = v;
    matched++;
  }
  if (matched === 0) return { label, matched: 0 };
  return { label: { name: label?.name ?? 'feedback', values }, matched };
}
