import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scoreContextualClaimed } from '../../src-main/backend/model/contextual-claim';
import { sliceLayout } from '../../src-main/backend/model/slice-layout';
import { inputRows } from '../../src-main/backend/model/contextual-parallel';
import { BUILDING_KINDS } from '../../src-main/core/data/building-kinds';
import { DEFAULT_YEAR_START, simulateYears } from '../../src-main/core/data/year-simulator';
import { fitContextual, scoreContextual } from '../../src-main/core/model/contextual/detector';
import { topContributions } from '../../src-main/core/model/contextual/importance';
import type { ContextualInput } from '../../src-main/core/model/contextual/types';
import { contextualInput, TEST_NAMES } from '../helpers/contextual-input';

const workerScript = fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url));

/**
 * The claimed slices read their rows in place: shared memory holds the input
 * slice after slice, each slice's buildings in code order, each building's
 * rows in input order (sliceLayout). Scores must not depend on that layout.
 */
describe('the slices’ layout in shared memory', () => {
  it('places slice after slice, buildings by code (no id first), rows of a building in input order', () => {
    // Codes per row (−1: no id); slice 0 holds buildings 2 and 0, slice 1 buildings 1 and "no id".
    const codes = Int32Array.from([2, 0, 1, -1, 0, 2, 1, -1, 2]);
    const input: ContextualInput = {
      time: new Float64Array(codes.length),
      groups: { codes, dictionary: ['A', 'B', 'C'] },
      temperature: null,
      meters: [],
      stuckColumns: [],
    };
    const slices = [Int32Array.from([0, 1, 4, 5, 8]), Int32Array.from([2, 3, 6, 7])];
    const { rows, starts, at } = sliceLayout(input, slices);
    // Slice 0: building A (rows 1, 4), then C (0, 5, 8); slice 1: no id (3, 7), then B (2, 6).
    expect(Array.from(rows)).toEqual([1, 4, 0, 5, 8, 3, 7, 2, 6]);
    expect(Array.from(starts)).toEqual([0, 5, 9]);
    for (let p = 0; p < rows.length; p++) expect(at[rows[p]!]).toBe(p);
    expect(rows.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('without ids: one slice, in input order', () => {
    const input: ContextualInput = { time: new Float64Array(4), groups: null, temperature: null, meters: [], stuckColumns: [] };
    const { rows, starts, at } = sliceLayout(input, [Int32Array.from([0, 1, 2, 3])]);
    expect(Array.from(rows)).toEqual([0, 1, 2, 3]);
    expect(Array.from(starts)).toEqual([0, 4]);
    expect(Array.from(at)).toEqual([0, 1, 2, 3]);
  });

  describe('scores equal one thread’s whatever the row order', () => {
    // 40 buildings, 60 days: the first 45 train 39 of them, the last 15 are scored (one building unseen).
    const table = simulateYears({ buildings: 40, years: 1, seed: 8, anomalyRate: 0.03, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
    const all = contextualInput(table);
    const hours = 40 * 24;
    const train = inputRows(
      all,
      Int32Array.from({ length: 45 * hours }, (_, i) => i).filter((i) => all.groups!.codes[i] !== 39),
    );
    const { model } = fitContextual(train, TEST_NAMES);
    // The scored rows in a scrambled order (a file sorted neither by time nor by building), a few without an id.
    const scored = Int32Array.from({ length: 15 * hours }, (_, i) => 45 * hours + i);
    for (let i = scored.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [scored[i], scored[j]] = [scored[j]!, scored[i]!];
    }
    const score = inputRows(all, scored);
    score.groups!.codes = score.groups!.codes.map((c, i) => (i % 97 === 0 ? -1 : c));
    const expected = scoreContextual(model, score);

    const same = (got: Awaited<ReturnType<typeof scoreContextualClaimed>>): void => {
      expect(got.scores).toEqual(expected.scores);
      expect(got.flags).toEqual(expected.flags);
      expect(got.member).toEqual(expected.member);
      expect(got.warnings).toEqual(expected.warnings);
      // Explained as they are scored: each flag's top contributions, and no detail left for an explanation to read.
      let flagged = 0;
      for (let i = 0; i < expected.flags.length; i++)
        if (expected.flags[i]) {
          flagged++;
          expect(got.explained!.get(i)).toEqual(topContributions(model, expected, score, i));
        }
      expect(got.explained!.size).toBe(flagged);
      expect(flagged).toBeGreaterThan(50);
      expect([got.flagged.z[0]!.length, got.flagged.feature.length, got.flagged.memberScores.forest.length]).toEqual([0, 0, 0]);
    };

    it('on this thread alone (slices of several buildings each)', async () => {
      expect(expected.warnings[0]).toMatch(/^2 buildings not seen in training \(\(no id\), B40\)/);
      same(await scoreContextualClaimed(model, score, { workerScript, threads: 1 }, undefined, 'explained'));
    });

    it('on two threads', async () => {
      same(await scoreContextualClaimed(model, score, { workerScript, threads: 2 }, undefined, 'explained'));
    });
  });
});
