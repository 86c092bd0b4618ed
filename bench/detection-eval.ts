/**
 * The year-2 evaluation (issue 11): simulate two years, train on the first,
 * score the second; figures for a detector's flags and scores.
 */
import { BUILDING_KINDS } from '../src-main/core/data/building-kinds';
import { getColumn, type Table } from '../src-main/core/data/table';
import { DEFAULT_YEAR_START, simulateYears, YEAR_HOURS } from '../src-main/core/data/year-simulator';
import { evaluate } from '../src-main/core/model/evaluate';
import { recallByType } from '../src-main/core/model/per-type';

export function num(t: Table, name: string): Float64Array {
  const c = getColumn(t, name);
  if (!c || c.kind === 'category') throw new Error(`no numeric column ${name}`);
  return c.values;
}
export function cat(t: Table, name: string): { codes: Int32Array; dictionary: string[] } {
  const c = getColumn(t, name);
  if (!c || c.kind !== 'category') throw new Error(`no category column ${name}`);
  return c;
}

/** Rows [start, end) of every column. */
export function slice(t: Table, start: number, end: number): Table {
  return {
    rowCount: end - start,
    columns: t.columns.map((c) =>
      c.kind === 'category' ? { ...c, codes: c.codes.subarray(start, end) } : { ...c, values: c.values.subarray(start, end) },
    ),
  };
}

export function twoYears(seed: number, buildings: number, anomalyRate: number): { year1: Table; year2: Table } {
  const t = simulateYears({ buildings, years: 2, seed, anomalyRate, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
  const split = buildings * YEAR_HOURS; // rows are time-major: the first year is the first block
  return { year1: slice(t, 0, split), year2: slice(t, split, t.rowCount) };
}

export interface Figures {
  rocAuc: number | null;
  f1: number;
  precision: number;
  recall: number;
  anomalyRate: number;
  recallByType: Record<string, number>;
}

export function figures(t: Table, scores: Float64Array, threshold: number): Figures {
  const labels = num(t, 'is_anomaly');
  const e = evaluate(scores, threshold, labels);
  const flags = Uint8Array.from(scores, (s) => (s > threshold ? 1 : 0));
  const type = cat(t, 'anomaly_type');
  const l = e.labelled!;
  return {
    rocAuc: l.rocAuc,
    f1: l.f1,
    precision: l.precision,
    recall: l.recall,
    anomalyRate: e.anomalyRate,
    recallByType: recallByType(flags, type.codes, type.dictionary),
  };
}
