import type { FeedbackRecord } from '../../contract/shared/alerts';
import type { Dataset } from '../datasets';
import { idAt, idColumn, timeColumn } from '../model/columns';

/** No verdict for the row. */
export const NO_VERDICT = -1;

/**
 * The feedback verdict per row of a dataset: 1 a confirmed fault, 0 a false
 * alarm, NO_VERDICT none. Readings are matched by building (the id column) and
 * the reading's timestamp; any version's verdicts count, since the reading is
 * the same whichever version flagged it. Null when the data has no timestamp or
 * no row matched.
 */
export function feedbackVerdicts(
  ds: Dataset,
  records: readonly FeedbackRecord[],
  model: string,
): { verdicts: Int8Array; matched: number } | null {
  const time = timeColumn(ds.table, ds.roles);
  if (!time) return null;
  const ids = idColumn(ds.table, ds.roles);
  const byReading = new Map<string, number>();
  for (const r of records) if (r.model === model) byReading.set(`${r.building ?? ''}|${r.dataTime}`, r.verdict === 'fault' ? 1 : 0);
  if (byReading.size === 0) return null;
  const verdicts = new Int8Array(ds.table.rowCount).fill(NO_VERDICT);
  let matched = 0;
  for (let i = 0; i < verdicts.length; i++) {
    const v = byReading.get(`${idAt(ids, i) ?? ''}|${time[i]!}`);
    if (v === undefined) continue;
    verdicts[i] = v;
    matched++;
  }
  return matched ? { verdicts, matched } : null;
}

/**
 * Labels for training with feedback (`includeFeedback`): a reading a person
 * confirmed as a fault is 1, a false alarm 0, whatever the data's own label
 * said (a person looked at it). Returns the label unchanged when no row
 * matched, so nothing changes.
 */
export function labelsWithFeedback(
  ds: Dataset,
  label: { name: string; values: Float64Array } | null,
  records: readonly FeedbackRecord[],
  model: string,
): { label: { name: string; values: Float64Array } | null; matched: number } {
  const found = feedbackVerdicts(ds, records, model);
  if (!found) return { label, matched: 0 };
  const values = label ? Float64Array.from(label.values) : new Float64Array(ds.table.rowCount).fill(Number.NaN);
  for (let i = 0; i < values.length; i++) if (found.verdicts[i] !== NO_VERDICT) values[i] = found.verdicts[i]!;
  return { label: { name: label?.name ?? 'feedback', values }, matched: found.matched };
}
