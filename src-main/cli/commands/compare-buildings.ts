import { renderTable } from './table';
import type { CompareResult } from '../../contract/ops/registry';
import { fmtNumber, fmtSigned } from './registry-format';

/**
 * `versions compare --by building`: the per-building metrics a contextual
 * version records (`building_<id>_anomalyRate`, `building_<id>_f1`,
 * `building_<id>_fleet`) side by side, one row per building.
 */
export interface BuildingRow {
  id: string;
  anomalyRate: { a: number | null; b: number | null };
  f1: { a: number | null; b: number | null };
  /** 1 = too little history, scored with the fleet baseline; null = not recorded (versions trained before it was). */
  fleet: { a: number | null; b: number | null };
}

const KEY = /^building_(.+)_(anomalyRate|f1|fleet)$/;

/** "own", "fleet", "own → fleet"; empty when neither version recorded it. */
function baseline(p: { a: number | null; b: number | null }): string {
  const word = (v: number | null): string => (v === null ? '?' : v === 1 ? 'fleet' : 'own');
  if (p.a === null && p.b === null) return '';
  return p.a === p.b ? word(p.a) : `${word(p.a)} → ${word(p.b)}`;
}

export function buildingRows(c: CompareResult): BuildingRow[] {
  const byId = new Map<string, BuildingRow>();
  for (const m of c.metrics) {
    const hit = KEY.exec(m.name);
    if (!hit) continue;
    const id = hit[1]!;
    let row = byId.get(id);
    if (!row) byId.set(id, (row = { id, anomalyRate: { a: null, b: null }, f1: { a: null, b: null }, fleet: { a: null, b: null } }));
    row[hit[2] as 'anomalyRate' | 'f1' | 'fleet'] = { a: m.a, b: m.b };
  }
  return [...byId.values()].sort((x, y) => x.id.localeCompare(y.id));
}

export function buildingText(c: CompareResult, rows: BuildingRow[]): string {
  if (rows.length === 0) return `${c.model} ${c.a} and ${c.b} record no per-building metrics (only contextual versions do).`;
  const delta = (p: { a: number | null; b: number | null }): string => (p.a === null || p.b === null ? '' : fmtSigned(p.b - p.a));
  return [
    `${c.model}: ${c.a} (A) → ${c.b} (B), per building`,
    '',
    renderTable(
      ['BUILDING', 'RATE A', 'RATE B', 'B − A', 'F1 A', 'F1 B', 'B − A', 'BASELINE'],
      rows.map((r) => [
        r.id,
        fmtNumber(r.anomalyRate.a),
        fmtNumber(r.anomalyRate.b),
        delta(r.anomalyRate),
        fmtNumber(r.f1.a),
        fmtNumber(r.f1.b),
        delta(r.f1),
        baseline(r.fleet),
      ]),
      [false, true, true, true, true, true, true, false],
    ),
  ].join('\n');
}
