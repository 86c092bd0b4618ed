import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/data/rng';
import { buildingSeries } from '../../../../src-main/core/model/contextual/series';

const HOUR = 3_600_000;

/** The definition, written plainly: group by code, order by time then row, step = lower median of positive steps. */
function reference(time: Float64Array, codes: Int32Array | null) {
  const byCode = new Map<number, number[]>();
  for (let i = 0; i < time.length; i++) {
    const c = codes ? codes[i]! : 0;
    byCode.set(c, [...(byCode.get(c) ?? []), i]);
  }
  return [...byCode.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([code, list]) => {
      const rows = [...list].sort((a, b) => time[a]! - time[b]! || a - b);
      const steps = rows
        .slice(1)
        .map((r, k) => time[r]! - time[rows[k]!]!)
        .filter((d) => d > 0)
        .sort((a, b) => a - b);
      return { code, rows: Int32Array.from(rows), step: steps.length ? steps[Math.floor((steps.length - 1) / 2)]! : HOUR };
    });
}

describe('buildingSeries', () => {
  it('groups rows by building in time order with the typical step, as its definition', () => {
    const rng = createRng(21);
    const n = 3000;
    // 7 buildings and rows without an id (−1), times shuffled with repeats, half-hourly and hourly readings.
    const codes = Int32Array.from({ length: n }, () => Math.floor(rng.next() * 8) - 1);
    const time = Float64Array.from({ length: n }, (_, i) => Math.floor(rng.next() * 400) * (codes[i]! % 2 ? HOUR : HOUR / 2));
    expect(buildingSeries(time, codes)).toEqual(reference(time, codes));
    // In time order already (the usual case) and without ids.
    const ordered = Float64Array.from({ length: n }, (_, i) => Math.floor(i / 8) * HOUR);
    expect(buildingSeries(ordered, codes)).toEqual(reference(ordered, codes));
    expect(buildingSeries(ordered, null)).toEqual(reference(ordered, null));
  });

  it('leaves out codes without rows and gives a lone reading an hourly step', () => {
    const got = buildingSeries(Float64Array.from([5, 1, 9]), Int32Array.from([3, 3, 0]));
    expect(got).toEqual([
      { code: 0, rows: Int32Array.from([2]), step: HOUR },
      { code: 3, rows: Int32Array.from([1, 0]), step: 4 },
    ]);
    expect(buildingSeries(new Float64Array(), null)).toEqual([]);
  });
});
