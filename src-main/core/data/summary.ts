import { roleOf } from './schema-infer';
import type { ColumnRole, FeatureSummary } from '../../contract/shared/data';
import type { Column, Table } from './table';

/** Linear-interpolated quantile of sorted values (numpy's default). */
function sortedQuantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarizeColumn(column: Column, role: ColumnRole): FeatureSummary {
  if (column.kind === 'category') {
    let missing = 0;
    for (const code of column.codes) if (code < 0) missing++;
    return {
      name: column.name,
      kind: 'category',
      role,
      count: column.codes.length - missing,
      missing,
      mean: null,
      std: null,
      min: null,
      p50: null,
      max: null,
      categories: column.dictionary.slice(0, 20),
    };
  }
  const values = column.values;
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
  }
  if (count === 0) {
    return {
      name: column.name,
      kind: column.kind,
      role,
      count: 0,
      missing: values.length,
      mean: null,
      std: null,
      min: null,
      p50: null,
      max: null,
    };
  }
  const present = new Float64Array(count);
  for (let i = 0, j = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) present[j++] = values[i]!;
  present.sort();
  return {
    name: column.name,
    kind: column.kind,
    role,
    count,
    missing: values.length - count,
    mean,
    std: count > 1 ? Math.sqrt(m2 / (count - 1)) : 0,
    min: present[0]!,
    p50: sortedQuantile(present, 0.5),
    max: present[count - 1]!,
  };
}

export function summarizeTable(table: Table, roles: Record<string, ColumnRole>): FeatureSummary[] {
  return table.columns.map((c) => summarizeColumn(c, roleOf(roles, c.name) ?? 'ignored'));
}
