import { describe, expect, it } from 'vitest';
import { BUILDING_KINDS } from '../../../../src-main/core/data/building-kinds';
import { DEFAULT_YEAR_START, simulateYears } from '../../../../src-main/core/data/year-simulator';
import { scoreSamples } from '../../../../src-main/core/model/isolation-forest';
import {
  CALIBRATION_ROWS,
  TRAINING_SCORE_ROWS,
  calibrationRows,
  fitContextualUntilForest,
  trainingScoreRows,
} from '../../../../src-main/core/model/contextual/detector';
import { medianOf, robustSigma } from '../../../../src-main/core/model/contextual/robust';
import { contextualInput, TEST_NAMES } from '../../../helpers/contextual-input';

describe('the rows calibrating the forest member', () => {
  it('are all rows up to CALIBRATION_ROWS', () => {
    expect(calibrationRows(0)).toBeNull();
    expect(calibrationRows(CALIBRATION_ROWS)).toBeNull();
  });

  it('beyond, are about CALIBRATION_ROWS ascending rows, every building of a building-by-time order alike', () => {
    const n = 876_000;
    const rows = calibrationRows(n)!;
    // Binomial(876,000, 0.114): a standard deviation of about 300 rows.
    expect(Math.abs(rows.length - CALIBRATION_ROWS)).toBeLessThan(1_500);
    expect(rows.every((i, k) => k === 0 || i > rows[k - 1]!)).toBe(true);
    expect(rows[0]!).toBeGreaterThanOrEqual(0);
    expect(rows.at(-1)!).toBeLessThan(n);
    // 100 buildings, one reading each per hour: each building (row mod 100) gets its share, about 1,000 rows.
    const perBuilding = new Int32Array(100);
    for (const i of rows) perBuilding[i % 100]!++;
    expect(Math.min(...perBuilding)).toBeGreaterThan(850);
    expect(Math.max(...perBuilding)).toBeLessThan(1_150);
    expect(calibrationRows(n)).toEqual(rows);
  });

  it('set the center and scale from their scores: the same model as from every row’s scores, close to every row’s figures', () => {
    // 14 buildings × a year = 122,640 rows: above CALIBRATION_ROWS.
    const table = simulateYears({ buildings: 14, years: 1, seed: 6, anomalyRate: 0.01, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
    const input = contextualInput(table);
    expect(input.time.length).toBe(122_640);
    const step = fitContextualUntilForest(input, TEST_NAMES);
    const rows = step.calibration!;
    expect(rows).toEqual(calibrationRows(122_640));
    const all = scoreSamples(step.forest, step.columns);
    const sampled = scoreSamples(
      step.forest,
      step.columns.map((c) => Float64Array.from(rows, (i) => c[i]!)),
    );
    const fromAll = step.finish(all);
    const fromSample = step.finishModel(sampled);
    expect(fromSample).toEqual(fromAll.model);
    expect(fromSample.forestCenter).toBe(medianOf(sampled));
    expect(fromSample.forestScale).toBe(robustSigma(sampled));
    // A sample of ~100,000 of 122,640 rows: the median within a hundredth of a spread of all rows'.
    expect(Math.abs(fromSample.forestCenter - medianOf(all))).toBeLessThan(0.01 * fromSample.forestScale);
    expect(Math.abs(fromSample.forestScale / robustSigma(all) - 1)).toBeLessThan(0.01);
    expect(() => step.finishModel(all)).toThrow(`${all.length} forest scores for ${rows.length} calibration rows`);
  }, 60_000);
});

describe('the training rows a large fit scores (trainingScoreRows)', () => {
  it('are all rows up to TRAINING_SCORE_ROWS; beyond, a hash sample holding every calibration row', () => {
    expect(trainingScoreRows(TRAINING_SCORE_ROWS)).toBeNull();
    const n = 876_000;
    const rows = trainingScoreRows(n)!;
    expect(Math.abs(rows.length - TRAINING_SCORE_ROWS)).toBeLessThan(2_000);
    expect(rows.every((i, k) => k === 0 || i > rows[k - 1]!)).toBe(true);
    const inSample = new Uint8Array(n);
    for (const i of rows) inSample[i] = 1;
    expect(calibrationRows(n)!.every((i) => inSample[i] === 1)).toBe(true);
  });

  it('finishSample gives finish’s model and, at the sampled rows, finish’s training scores bit for bit', () => {
    // 24 buildings × a year = 210,240 rows: above TRAINING_SCORE_ROWS.
    const table = simulateYears({ buildings: 24, years: 1, seed: 9, anomalyRate: 0.01, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
    const input = contextualInput(table);
    const n = input.time.length;
    expect(n).toBe(210_240);
    const step = fitContextualUntilForest(input, TEST_NAMES);
    const rows = step.sample!;
    expect(rows).toEqual(trainingScoreRows(n));
    const all = scoreSamples(step.forest, step.columns);
    const full = step.finish(all);
    const sampled = step.finishSample(Float64Array.from(rows, (i) => all[i]!));
    expect(sampled.model).toEqual(full.model);
    const at = <T extends Float64Array | Uint8Array | Int16Array>(a: T): number[] => Array.from(rows, (i) => a[i]!);
    const t = sampled.training;
    const f = full.training;
    expect(t.scores.length).toBe(rows.length);
    expect(Array.from(t.scores)).toEqual(at(f.scores));
    expect(Array.from(t.flags)).toEqual(at(f.flags));
    expect(Array.from(t.member)).toEqual(at(f.member));
    expect(Array.from(t.feature)).toEqual(at(f.feature));
    expect(Array.from(t.rule)).toEqual(at(f.rule));
    for (const m of Object.keys(f.memberScores) as (keyof typeof f.memberScores)[])
      expect(Array.from(t.memberScores[m])).toEqual(at(f.memberScores[m]));
    f.z.forEach((z, m) => expect(Array.from(t.z[m]!)).toEqual(at(z)));
    f.expected.forEach((e, m) => expect(Array.from(t.expected[m]!)).toEqual(at(e)));
    expect(t.warnings).toEqual(f.warnings);
    // The sample holds flagged readings of every kind the full scoring has (not a vacuous comparison).
    expect(t.flags.reduce((a, b) => a + b, 0)).toBeGreaterThan(1_000);
    expect(() => step.finishSample(all)).toThrow(`${all.length} forest scores for ${rows.length} sampled training rows`);
  }, 180_000);
});
