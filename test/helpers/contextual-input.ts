/** The contextual detector's input from a simulated table, as the backend tests and the pinned fit build it. */
import { getColumn, type Table } from '../../src-main/core/data/table';
import { expect } from 'vitest';
import type { ContextualInput, ContextualScores } from '../../src-main/core/model/contextual/types';

export const TEST_METERS = ['hvac_kw', 'total_kw'];
export const TEST_NAMES = { meters: TEST_METERS, stuckCandidates: ['outdoor_temp_c', 'total_kw'], temperature: 'outdoor_temp_c' };

export function numericColumn(t: Table, name: string): Float64Array {
  const c = getColumn(t, name);
  if (!c || c.kind === 'category') throw new Error(name);
  return c.values;
}

export function contextualInput(t: Table): ContextualInput {
  const ids = getColumn(t, 'building_id');
  if (!ids || ids.kind !== 'category') throw new Error('building_id');
  return {
    time: numericColumn(t, 'timestamp'),
    groups: { codes: ids.codes, dictionary: ids.dictionary },
    temperature: numericColumn(t, 'outdoor_temp_c'),
    // total_kw is both a meter and a stuck-rule column: one column object in two places.
    meters: TEST_METERS.map((m) => numericColumn(t, m)),
    stuckColumns: TEST_NAMES.stuckCandidates.map((m) => numericColumn(t, m)),
  };
}

/**
 * Expects `got` to hold the one-thread detail an explanation reads (feature, rule, each meter's z and expected
 * load) at every row `expected` flags; returns how many rows it flags.
 */
export function expectSameFlaggedDetail(
  got: Pick<ContextualScores, 'feature' | 'rule' | 'z' | 'expected'>,
  expected: ContextualScores,
  each: (row: number) => void = () => undefined,
): number {
  let flagged = 0;
  for (let i = 0; i < expected.flags.length; i++) {
    if (!expected.flags[i]) continue;
    flagged++;
    expect(got.feature[i]).toBe(expected.feature[i]);
    expect(got.rule[i]).toBe(expected.rule[i]);
    for (let m = 0; m < expected.z.length; m++) {
      expect(got.z[m]![i]).toBe(expected.z[m]![i]);
      expect(got.expected[m]![i]).toBe(expected.expected[m]![i]);
    }
    each(i);
  }
  return flagged;
}
