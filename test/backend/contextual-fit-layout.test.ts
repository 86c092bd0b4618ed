import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fitBuildingPassParallel, inputRows } from '../../src-main/backend/model/contextual-parallel';
import { inputRange, sharedLaidOut, sliceLayout } from '../../src-main/backend/model/slice-layout';
import { BUILDING_KINDS } from '../../src-main/core/data/building-kinds';
import { DEFAULT_YEAR_START, simulateYears } from '../../src-main/core/data/year-simulator';
import { contextualSettings, fitBuildingPass } from '../../src-main/core/model/contextual/detector';
import type { ContextualInput } from '../../src-main/core/model/contextual/types';
import { contextualInput } from '../helpers/contextual-input';

const workerScript = fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url));

/**
 * The shared building fit reads its slices in place, as the scoring does: the
 * fit's columns are laid out slice by slice, building by building (sliceLayout),
 * and each slice's pass is written at its places, then put back in row order.
 */
describe('the shared fit’s slices read in place', () => {
  it('a slice’s range of the laid-out columns holds its rows, building by building', () => {
    // Codes per row (−1: no id); slice 0 holds buildings C and A, slice 1 B and "no id".
    const codes = Int32Array.from([2, 0, 1, -1, 0, 2, 1, -1, 2]);
    const input: ContextualInput = {
      time: Float64Array.from(codes, (_, i) => 100 + i),
      groups: { codes, dictionary: ['A', 'B', 'C'] },
      temperature: Float64Array.from(codes, (_, i) => -i),
      meters: [Float64Array.from(codes, (_, i) => i / 2)],
      stuckColumns: [],
    };
    const { starts, at } = sliceLayout(input, [Int32Array.from([0, 1, 4, 5, 8]), Int32Array.from([2, 3, 6, 7])]);
    const laid = sharedLaidOut(input, at);
    expect(laid.time.buffer).toBeInstanceOf(SharedArrayBuffer);
    // Slice 1: no id (rows 3, 7), then B (rows 2, 6).
    const slice = inputRange(laid, starts[1]!, starts[2]!);
    expect(Array.from(slice.time)).toEqual([103, 107, 102, 106]);
    expect(Array.from(slice.groups!.codes)).toEqual([-1, -1, 1, 1]);
    expect(Array.from(slice.temperature!)).toEqual([-3, -7, -2, -6]);
    expect(Array.from(slice.meters[0]!)).toEqual([1.5, 3.5, 1, 3]);
    // Views, not copies.
    expect(slice.time.buffer).toBe(laid.time.buffer);
  });

  it('fits a scrambled multi-building input on two threads as one thread does', async () => {
    // 40 buildings × 60 days, rows in a scrambled order (sorted neither by time nor by building), some without an id:
    // 32 slices of 41 buildings, so slices hold several buildings each.
    const table = simulateYears({ buildings: 40, years: 1, seed: 5, anomalyRate: 0.03, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
    const all = contextualInput(table);
    const order = Int32Array.from({ length: 60 * 24 * 40 }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const input = inputRows(all, order);
    input.groups!.codes = input.groups!.codes.map((c, i) => (i % 101 === 0 ? -1 : c));
    const settings = contextualSettings();
    const alone = fitBuildingPass(input, settings);
    expect(alone.buildings.length).toBe(41);
    const got = await fitBuildingPassParallel(input, settings, { workerScript, threads: 2 });
    expect(got.buildings).toEqual(alone.buildings);
    expect(got.pass).toEqual(alone.pass);
  });
});
