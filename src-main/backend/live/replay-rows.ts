import type { ColumnRole } from '../../contract/shared/data';
import { cellText, type Column, type Table } from '../../core/data/table';

/**
 * A table's rows as live reading payloads, for replaying a file (`greenlens
 * replay`) or a dataset (the app's replay source): the numeric feature
 * columns, `timestamp` (ISO 8601) and `building_id`, as a meter would send.
 */
export interface ReplayRows {
  features: string[];
  rowCount: number;
  /** Epoch ms of row r, or NaN when the table has no timestamp. */
  timeAt(r: number): number;
  buildingAt(r: number): string;
  payloadAt(r: number): Record<string, unknown>;
}

export function replayRows(table: Table, roles: Record<string, ColumnRole>): ReplayRows {
  const features = table.columns.filter((c): c is Column & { kind: 'number' } => roles[c.name] === 'feature' && c.kind === 'number');
  const time = table.columns.find((c): c is Column & { kind: 'time' } => roles[c.name] === 'timestamp' && c.kind === 'time');
  const id = table.columns.find((c) => roles[c.name] === 'id');
  const timeAt = (r: number): number => (time ? time.values[r]! : NaN);
  return {
    features: features.map((f) => f.name),
    rowCount: table.rowCount,
    timeAt,
    buildingAt: (r) => (id ? cellText(id, r) : ''),
    payloadAt(r) {
      const o: Record<string, unknown> = {};
      const t = timeAt(r);
      if (t === t) o.timestamp = new Date(t).toISOString();
      if (id) o.building_id = cellText(id, r);
      for (const f of features) o[f.name] = f.values[r];
      return o;
    },
  };
}
