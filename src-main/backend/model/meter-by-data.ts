import type { Dataset } from '../datasets';
import { hourOfWeek } from '../../core/model/contextual/towt';

/**
 * A meter found by its data when no column is named like one (a BMS export's
 * `Wirkleistung`, `Bezug`, `P_ges`…): among non-negative numeric columns, the
 * one whose readings most follow the hour of the week within each building —
 * the property the contextual baseline rests on. Measured as the adjusted R²
 * of per-building hour-of-week means, so a column with no weekly pattern
 * scores near 0 however many slots there are.
 */

/** A column needs at least this adjusted R² to be taken for a meter. */
export const MIN_WEEKLY_R2 = 0.25;
const MAX_ROWS = 200_000;
const SLOTS = 168;

export interface MeterCandidate {
  name: string;
  r2: number;
}

/** Adjusted R² of hour-of-week means per group, on a stride sample; NaN when the column has negative values or too few readings. */
export function weeklyR2(values: Float64Array, time: Float64Array, codes: Int32Array | null): number {
  const n = values.length;
  const stride = Math.max(1, Math.ceil(n / MAX_ROWS));
  const groups = new Map<number, { sum: Float64Array; count: Float64Array }>();
  let total = 0;
  let totalSq = 0;
  let used = 0;
  for (let i = 0; i < n; i += stride) {
    const v = values[i]!;
    const t = time[i]!;
    if (!Number.isFinite(v) || !Number.isFinite(t)) continue;
    if (v < 0) return NaN;
    const g = codes ? codes[i]! : 0;
    let acc = groups.get(g);
    if (!acc) groups.set(g, (acc = { sum: new Float64Array(SLOTS), count: new Float64Array(SLOTS) }));
    const h = hourOfWeek(t);
    acc.sum[h]! += v;
    acc.count[h]!++;
    total += v;
    totalSq += v * v;
    used++;
  }
  let slots = 0;
  let explained = 0;
  for (const { sum, count } of groups.values())
    for (let h = 0; h < SLOTS; h++)
      if (count[h]! > 0) {
        slots++;
        explained += (sum[h]! * sum[h]!) / count[h]!;
      }
  if (used <= slots + 1) return NaN;
  const ssTot = totalSq - (total * total) / used;
  if (!(ssTot > 0)) return NaN;
  const ssRes = Math.max(0, totalSq - explained);
  return 1 - ssRes / (used - slots) / (ssTot / (used - 1));
}

/** Candidates (numeric features other than the temperature), best first, with their weekly R². */
export function metersByData(ds: Dataset, features: string[], temperature: string | null, timeColumn: string): MeterCandidate[] {
  const time = ds.table.columns.find((c) => c.name === timeColumn);
  if (!time || time.kind !== 'time') return [];
  const id = ds.table.columns.find((c) => ds.roles[c.name] === 'id' && c.kind === 'category');
  const codes = id && id.kind === 'category' ? id.codes : null;
  const out: MeterCandidate[] = [];
  for (const name of features) {
    if (name === temperature) continue;
    const c = ds.table.columns.find((col) => col.name === name);
    if (!c || c.kind !== 'number') continue;
    const r2 = weeklyR2(c.values, time.values, codes);
    if (Number.isFinite(r2)) out.push({ name, r2 });
  }
  return out.sort((a, b) => b.r2 - a.r2);
}
