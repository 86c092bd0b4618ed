import { describe, expect, it } from 'vitest';
import { BUILDING_KINDS } from '../../../../src-main/core/data/building-kinds';
import { fmix32 } from '../../../../src-main/core/data/rng';
import { DEFAULT_YEAR_START, simulateYears } from '../../../../src-main/core/data/year-simulator';
import { scoreSamples } from '../../../../src-main/core/model/isolation-forest';
import {
  calibrationRows,
  contextualSettings,
  fitBuildingModels,
  fitContextual,
  fitContextualUntilForest,
  fitFrame,
  trainingScoreRows,
} from '../../../../src-main/core/model/contextual/detector';
import type { ContextualInput } from '../../../../src-main/core/model/contextual/types';
import { contextualInput, TEST_NAMES } from '../../../helpers/contextual-input';

/**
 * fitFrame is what a fit computes from its input alone (hours, series, watched stuck-rule candidates, the
 * forest's context columns, the sampled rows): computed beforehand and handed in, the fit must be the same.
 */
describe('a fit’s frame computed beforehand (fitFrame)', () => {
  // 6 buildings × 90 days, with two more stuck-rule candidates: a constant column (repeats everywhere: not watched)
  // and a copy of total_kw stuck for 12 hours in building 2 (watched, and its run is a rule hit).
  const table = simulateYears({ buildings: 6, years: 1, seed: 11, anomalyRate: 0.02, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
  const full = contextualInput(table);
  const n = 6 * 90 * 24;
  const cut = <T extends Float64Array | Int32Array>(a: T): T => a.slice(0, n) as T;
  const total = cut(full.meters[1]!);
  const stuckCopy = total.slice();
  const codes = cut(full.groups!.codes);
  let seen = 0;
  for (let i = n >> 1; i < n && seen < 12; i++) {
    if (codes[i] !== 2) continue;
    stuckCopy[i] = 7.5;
    seen++;
  }
  const input: ContextualInput = {
    time: cut(full.time),
    groups: { codes, dictionary: full.groups!.dictionary },
    temperature: cut(full.temperature!),
    meters: [cut(full.meters[0]!), total],
    stuckColumns: [cut(full.stuckColumns[0]!), total, new Float64Array(n).fill(1), stuckCopy],
  };
  const names = { ...TEST_NAMES, stuckCandidates: [...TEST_NAMES.stuckCandidates, 'constant', 'stuck_copy'] };
  const settings = contextualSettings();

  it('watches the candidates the fit watches, with their runs', () => {
    const frame = fitFrame(input, settings, true);
    expect(frame.rows).toBe(n);
    // The constant column repeats on every reading: not watched. The stuck copy is, and its 12 hours are hits.
    expect(frame.keep).not.toContain(2);
    expect(frame.keep).toContain(3);
    const column = frame.keep.indexOf(3);
    const hits = frame.training!.stuck;
    let copyHits = 0;
    for (let i = 0; i < n; i++) if (hits.hit[i] && hits.column[i] === column) copyHits++;
    expect(copyHits).toBeGreaterThanOrEqual(12);
    expect(frame.context).toHaveLength(3);
    expect(frame.calibration).toBeNull();
    expect(frame.training!.sample).toBeNull();
    expect(fitFrame(input, settings, false).training).toBeNull();
  });

  it('fits the same detector and training scores handed in as computed by the fit', () => {
    const expected = fitContextual(input, names);
    const prefitted = { buildings: fitBuildingModels(input, settings), pass: null, fleet: null, frame: fitFrame(input, settings, true) };
    const step = fitContextualUntilForest(input, names, {}, {}, prefitted);
    expect(step.finish(scoreSamples(step.forest, step.columns))).toEqual(expected);
    // Without training scores (a holdout's fit): the same model.
    const bare = { ...prefitted, buildings: fitBuildingModels(input, settings), frame: fitFrame(input, settings, false) };
    const modelOnly = fitContextualUntilForest(input, names, {}, {}, bare);
    expect(modelOnly.finishModel(scoreSamples(modelOnly.forest, modelOnly.columns))).toEqual(expected.model);
  }, 60_000);

  it('refuses a frame of other rows', () => {
    const prefitted = { buildings: fitBuildingModels(input, settings), pass: null, fleet: null, frame: fitFrame(input, settings, true) };
    const fewer: ContextualInput = { ...input, time: input.time.slice(0, n - 1) };
    expect(() => fitContextualUntilForest(fewer, names, {}, {}, prefitted)).toThrow(
      `the prefitted frame does not cover the input's ${n - 1} rows`,
    );
  });
});

describe('the hashed row samples', () => {
  it('are the rows whose index hashes below the share, as a list of them would hold', () => {
    for (const [n, size, rows] of [
      [876_000, 200_000, trainingScoreRows(876_000)!],
      [700_800, 100_000, calibrationRows(700_800)!],
    ] as const) {
      const below = Math.floor((size / n) * 2 ** 32);
      const list: number[] = [];
      for (let i = 0; i < n; i++) if (fmix32(i) < below) list.push(i);
      expect(rows).toEqual(Int32Array.from(list));
    }
  });
});
