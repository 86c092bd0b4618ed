import { describe, expect, it } from 'vitest';
import { BUILDING_KINDS, CLOSED_SHARE, occupancyShare } from '../../../src-main/core/data/building-kinds';
import { getColumn, type Table } from '../../../src-main/core/data/table';
import {
  DEFAULT_YEAR_START,
  FAULT_TYPES,
  simulateYears,
  YEAR_ANOMALY_TYPES,
  YEAR_HOURS,
  type YearSimulateOptions,
} from '../../../src-main/core/data/year-simulator';

const base: YearSimulateOptions = { buildings: 4, years: 1, seed: 3, anomalyRate: 0.03, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START };

function num(t: Table, name: string): Float64Array {
  const c = getColumn(t, name);
  if (!c || c.kind === 'category') throw new Error(`no numeric column ${name}`);
  return c.values;
}
function codes(t: Table, name: string): Int32Array {
  const c = getColumn(t, name);
  if (!c || c.kind !== 'category') throw new Error(`no category column ${name}`);
  return c.codes;
}

/** Mean of `col` over rows where `keep(row)` holds. */
function meanWhere(col: Float64Array, keep: (i: number) => boolean): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < col.length; i++) {
    if (keep(i)) {
      s += col[i]!;
      n++;
    }
  }
  return s / n;
}

const hourOf = (t: number): number => new Date(t).getUTCHours();
const monthOf = (t: number): number => new Date(t).getUTCMonth();
const dowOf = (t: number): number => new Date(t).getUTCDay();

describe('year simulator', () => {
  const year = simulateYears(base);
  const ts = num(year, 'timestamp');
  const ids = codes(year, 'building_id');

  it('is deterministic: the same seed gives identical columns, another seed differs', () => {
    const again = simulateYears(base);
    const bytes = (c: Table['columns'][number] | undefined): Buffer => {
      const a = !c ? new Float64Array() : c.kind === 'category' ? c.codes : c.values;
      return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    };
    for (const col of year.columns) expect(bytes(getColumn(again, col.name)).equals(bytes(col)), col.name).toBe(true);
    expect(num(simulateYears({ ...base, seed: 4 }), 'total_kw')).not.toEqual(num(year, 'total_kw'));
  });

  it('writes buildings × 365 days × 24 rows, hourly from 1 January, kinds round-robin', () => {
    expect(year.rowCount).toBe(4 * YEAR_HOURS);
    expect(ts[0]).toBe(Date.UTC(2025, 0, 1));
    expect(ts[4]).toBe(Date.UTC(2025, 0, 1, 1));
    expect(ts[year.rowCount - 1]).toBe(Date.UTC(2025, 11, 31, 23));
    const kind = getColumn(year, 'building_kind');
    expect(kind?.kind === 'category' && [0, 1, 2, 3].map((r) => kind.dictionary[kind.codes[r]!])).toEqual([...BUILDING_KINDS]);
  });

  it('has seasons and a daily cycle: July is warmer than January, afternoons than nights', () => {
    const temp = num(year, 'outdoor_temp_c');
    const jan = meanWhere(temp, (i) => monthOf(ts[i]!) === 0);
    const jul = meanWhere(temp, (i) => monthOf(ts[i]!) === 6);
    expect(jul - jan).toBeGreaterThan(10);
    const afternoon = meanWhere(temp, (i) => hourOf(ts[i]!) === 15);
    const night = meanWhere(temp, (i) => hourOf(ts[i]!) === 4);
    expect(afternoon - night).toBeGreaterThan(3);
  });

  it('follows the schedules: a school on summer holiday is near its night load; retail is open on Saturdays, offices are not', () => {
    const total = num(year, 'total_kw');
    const occ = num(year, 'occupancy');
    const school = 1;
    const weekday10 = (i: number): boolean => ids[i] === school && hourOf(ts[i]!) === 10 && dowOf(ts[i]!) >= 1 && dowOf(ts[i]!) <= 5;
    const term = meanWhere(total, (i) => weekday10(i) && monthOf(ts[i]!) === 5); // June
    const summer = meanWhere(total, (i) => weekday10(i) && monthOf(ts[i]!) === 7); // August
    expect(summer).toBeLessThan(0.6 * term);
    const saturday14 = (b: number) => (i: number) => ids[i] === b && dowOf(ts[i]!) === 6 && hourOf(ts[i]!) === 14;
    const weekday14 = (b: number) => (i: number) => ids[i] === b && dowOf(ts[i]!) === 3 && hourOf(ts[i]!) === 14;
    expect(meanWhere(occ, saturday14(2))).toBeGreaterThan(0.5 * meanWhere(occ, weekday14(2)));
    expect(meanWhere(occ, saturday14(0))).toBeLessThan(0.1 * meanWhere(occ, weekday14(0)));
    // The hospital never closes.
    expect(meanWhere(occ, (i) => ids[i] === 3 && hourOf(ts[i]!) === 3)).toBeGreaterThan(0.4 * meanWhere(occ, weekday14(3)));
  });

  it('labels each fault type near its share of the requested rate, and only where it can happen', () => {
    const kinds = [...BUILDING_KINDS, ...BUILDING_KINDS, ...BUILDING_KINDS, 'office', 'school', 'retail'] as const;
    const rate = 0.06;
    const t = simulateYears({ ...base, buildings: kinds.length, kinds: [...kinds], seed: 11, anomalyRate: rate, years: 2 });
    const type = codes(t, 'anomaly_type');
    const label = num(t, 'is_anomaly');
    const counts = new Array<number>(YEAR_ANOMALY_TYPES.length).fill(0);
    let labelMismatch = 0;
    for (let i = 0; i < t.rowCount; i++) {
      counts[type[i]!]!++;
      if (label[i] !== (type[i] === 0 ? 0 : 1)) labelMismatch++;
    }
    expect(labelMismatch).toBe(0);
    const hospitals = kinds.filter((k) => k === 'hospital').length;
    for (const [i, f] of FAULT_TYPES.entries()) {
      // after_hours needs a closed building, and hospitals never close.
      const expected = (rate / FAULT_TYPES.length) * (f === 'after_hours' ? 1 - hospitals / kinds.length : 1);
      const share = counts[i + 1]! / t.rowCount;
      expect(share, f).toBeGreaterThan(0.6 * expected);
      expect(share, f).toBeLessThan(1.5 * expected);
    }
    const tsT = num(t, 'timestamp');
    const idsT = codes(t, 'building_id');
    const total = num(t, 'total_kw');
    const temp = num(t, 'outdoor_temp_c');
    const b = kinds.length;
    const broken = { after_hours: 0, dropout: 0, sensor_stuck: 0 };
    for (let i = 0; i < t.rowCount; i++) {
      const f = YEAR_ANOMALY_TYPES[type[i]!];
      if (f === 'after_hours' && occupancyShare(kinds[idsT[i]!]!, tsT[i]!) > CLOSED_SHARE) broken.after_hours++;
      if (f === 'dropout' && total[i] !== 0) broken.dropout++;
      // A stuck sensor repeats the reading of the hour before (same building, previous hour) once the event runs.
      if (f === 'sensor_stuck' && i >= b && type[i - b] === type[i] && temp[i] !== temp[i - b]) broken.sensor_stuck++;
    }
    expect(broken).toEqual({ after_hours: 0, dropout: 0, sensor_stuck: 0 });
  });
});
