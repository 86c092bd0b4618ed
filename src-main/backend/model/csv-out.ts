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
  columns.push({ name: FLAG_COLUMN, kind: 'number', values: Float64Array.from(flags) });
  return { table: { rowCount: table.rowCount, columns }, renamed };
}
