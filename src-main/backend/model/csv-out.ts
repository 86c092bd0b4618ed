import { allocColumn, memoryOf } from '../../core/data/column-memory';
import type { Column, Table } from '../../core/data/table';

export const SCORE_COLUMN = 'anomaly_score';
export const FLAG_COLUMN = 'is_anomaly';

/**
 * The input rows plus `anomaly_score` and `is_anomaly` (ARCHITECTURE §7). Input
 * columns with those names (the simulator's label is `is_anomaly`) are kept
 * under `<name>_input`, so the file never has two columns of one name and the
 * added columns mean the same thing in every output.
 */
export function scoredTable(table: Table, scores: Float64Array, flags: Uint8Array): { table: Table; renamed: Record<string, string> } {
  const taken = new Set(table.columns.map((c) => c.name));
  const renamed: Record<string, string> = {};
  const columns: Column[] = table.columns.map((c) => {
    if (c.name !== SCORE_COLUMN && c.name !== FLAG_COLUMN) return c;
    let name = `${c.name}_input`;
    for (let k = 2; taken.has(name); k++) name = `${c.name}_input${k}`;
    taken.add(name);
    renamed[c.name] = name;
    return { ...c, name };
  });
  columns.push({ name: SCORE_COLUMN, kind: 'number', values: scores });
  // Where the scores are: the output's rows are formatted on another thread when they are in shared memory.
  const flagValues = allocColumn(Float64Array, flags.length, memoryOf(scores));
  for (let i = 0; i < flags.length; i++) flagValues[i] = flags[i]!;
  columns.push({ name: FLAG_COLUMN, kind: 'number', values: flagValues });
  return { table: { rowCount: table.rowCount, columns }, renamed };
}

/** Row numbers of the flagged readings, in row order. */
export function flaggedRows(flags: Uint8Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i] ? 1 : 0;
  const rows = new Uint32Array(n);
  for (let i = 0, k = 0; i < flags.length; i++) if (flags[i]) rows[k++] = i;
  return rows;
}

/** The given rows of a table, in the given order (columns keep their kinds and dictionaries). */
export function selectRows(table: Table, rows: Uint32Array): Table {
  const columns: Column[] = table.columns.map((c) =>
    c.kind === 'category'
      ? { ...c, codes: Int32Array.from(rows, (r) => c.codes[r]!) }
      : { ...c, values: Float64Array.from(rows, (r) => c.values[r]!) },
  );
  return { rowCount: rows.length, columns };
}
