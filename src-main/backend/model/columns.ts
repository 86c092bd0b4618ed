import { allocColumn, memoryOf } from '../../core/data/column-memory';
import { OPTION_HINTS } from '../../core/data/csv-import';
import { GreenLensError } from '../../contract';
import { roleOf } from '../../core/data/schema-infer';
import type { Column, Table } from '../../core/data/table';
import type { Dataset } from '../datasets';

/**
 * How the model handlers read a dataset: feature columns as Float64Array,
 * the label as 0/1/NaN, the timestamp and id columns. One place, so training,
 * scoring and explanations agree on which column plays which role.
 */

/** Requested features, or every column with role `feature` (ARCHITECTURE §5). */
export function featureNames(ds: Dataset, requested: string[] | undefined, field = 'features'): string[] {
  const names =
    requested ?? ds.table.columns.filter((c) => roleOf(ds.roles, c.name) === 'feature' && c.kind === 'number').map((c) => c.name);
  if (names.length === 0) {
    throw new GreenLensError('invalid_input', `Dataset "${ds.info.name}" has no feature column to train on.`, {
      field,
      hint: `Import it again and ${OPTION_HINTS.feature}.`,
    });
  }
  const seen = new Set<string>();
  const dup = names.find((n) => seen.size === seen.add(n).size);
  if (dup !== undefined) throw new GreenLensError('invalid_input', `Feature "${dup}" is listed twice.`, { field, column: dup });
  return names;
}

/**
 * The named numeric columns, in order. Missing or non-numeric columns are
 * reported all at once, since a person fixes them together.
 */
export function numberColumns(ds: Dataset, names: readonly string[], what: string, field: string): Float64Array[] {
  const missing: string[] = [];
  const notNumeric: string[] = [];
  const out: Float64Array[] = [];
  // One map, not a scan per name: wide tables stay linear in their columns.
  const byName = new Map(ds.table.columns.map((col) => [col.name, col]));
  for (const name of names) {
    const c = byName.get(name);
    if (!c) missing.push(name);
    else if (c.kind !== 'number') notNumeric.push(`${name} (${c.kind})`);
    else out.push(c.values);
  }
  if (missing.length) {
    throw new GreenLensError(
      'invalid_input',
      `${what}: dataset "${ds.info.name}" has no column ${missing.map((m) => `"${m}"`).join(', ')}.`,
      {
        field,
        column: missing[0],
        hint: `Columns in this dataset: ${ds.table.columns.map((c) => c.name).join(', ')}.`,
      },
    );
  }
  if (notNumeric.length) {
    throw new GreenLensError('invalid_input', `${what}: column ${notNumeric.join(', ')} is not numeric.`, { field, column: notNumeric[0] });
  }
  return out;
}

const TRUE_TEXT = new Set(['1', '1.0', 'true', 'yes', 'y', 'anomaly', 't']);
const FALSE_TEXT = new Set(['0', '0.0', 'false', 'no', 'n', 'normal', 'f']);

/** Label values as 1 (anomaly), 0 (normal) or NaN (unknown). */
export function labelValues(column: Column): Float64Array {
  if (column.kind === 'category') {
    const byCode = column.dictionary.map((t) => {
      const k = t.trim().toLowerCase();
      return TRUE_TEXT.has(k) ? 1 : FALSE_TEXT.has(k) ? 0 : NaN;
    });
    const out = allocColumn(Float64Array, column.codes.length, memoryOf(column.codes));
    for (let i = 0; i < out.length; i++) {
      const code = column.codes[i]!;
      out[i] = code < 0 ? NaN : byCode[code]!;
    }
    return out;
  }
  // Plain loops: Float64Array.from with a mapping function is several times slower (it showed in score's profile).
  const values = column.values;
  const out = allocColumn(Float64Array, values.length, memoryOf(values));
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = v !== v ? NaN : v > 0 ? 1 : 0;
  }
  return out;
}

/** The requested label column, else the one with role `label`, else null. */
export function labelColumn(ds: Dataset, requested: string | undefined): { name: string; values: Float64Array } | null {
  const name = requested ?? ds.table.columns.find((c) => roleOf(ds.roles, c.name) === 'label')?.name;
  if (name === undefined) return null;
  const column = ds.table.columns.find((c) => c.name === name);
  if (!column) {
    throw new GreenLensError('invalid_input', `Label column "${name}" is not in dataset "${ds.info.name}".`, {
      field: 'label',
      column: name,
    });
  }
  if (column.kind === 'time')
    throw new GreenLensError('invalid_input', `Label column "${name}" holds times, not labels.`, { field: 'label', column: name });
  return { name, values: labelValues(column) };
}

/** The column the charts use as x: role timestamp and stored as time (same rule as datasets.chartOf). */
export function timeColumn(table: Table, roles: Record<string, string>): Float64Array | null {
  const c = table.columns.find((col) => roleOf(roles, col.name) === 'timestamp' && col.kind === 'time');
  return c && c.kind === 'time' ? c.values : null;
}

export function idColumn(table: Table, roles: Record<string, string>): { codes: Int32Array; dictionary: string[] } | null {
  const c = table.columns.find((col) => roleOf(roles, col.name) === 'id' && col.kind === 'category');
  return c && c.kind === 'category' ? c : null;
}

export function idAt(ids: { codes: Int32Array; dictionary: string[] } | null, row: number): string | null {
  if (!ids) return null;
  const code = ids.codes[row]!;
  return code < 0 ? null : ids.dictionary[code]!;
}

/** NaN is not JSON: missing values cross the contract as null. */
export function finiteOrNull(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}
