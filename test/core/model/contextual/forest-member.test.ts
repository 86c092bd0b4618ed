import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-main/core/data/rng';
import { forestColumns, forestScores } from '../../../../src-main/core/model/contextual/forest-member';
import type { ContextualInput } from '../../../../src-main/core/model/contextual/types';
import { compileForest } from '../../../../src-main/core/model/compiled-forest';
import { fitIsolationForest, scoreSamples } from '../../../../src-main/core/model/isolation-forest';

/** Scoring writes the forest's features straight into the walk's block (forestScores): its scores must be those of the columns. */
describe('forest member', () => {
  const rng = createRng(5);
  const n = 5000;
  const start = Date.UTC(2025, 2, 1);
  const time = Float64Array.from({ length: n }, (_, i) => start + i * 3_600_000);
  const how = Int32Array.from({ length: n }, (_, i) => (i + 30) % 168);
  const z = [0, 1].map(() => Float64Array.from({ length: n }, () => (rng.next() - 0.5) * 12));
  // Missing and clipped residuals, missing temperatures.
  z[0]![3] = NaN;
  z[1]![4] = Infinity;
  z[0]![5] = 57;
  z[1]![6] = -33;
  const temperature = Float64Array.from({ length: n }, (_, i) => (i % 50 === 7 ? NaN : -10 + 40 * rng.next()));
  const input: ContextualInput = { time, groups: null, temperature, meters: [], stuckColumns: [] };

  it('known answers: the columns are clipped z, hour of day, weekday and temperature (or the fill)', () => {
    const cols = forestColumns(input, z, how, 11.5);
    expect(cols).toHaveLength(5);
    expect([cols[0]![3], cols[1]![4], cols[0]![5], cols[1]![6]]).toEqual([0, 0, 20, -20]);
    expect([cols[2]![0], cols[3]![0], cols[2]![100], cols[3]![100]]).toEqual([6, 1, (130 % 168) % 24, Math.floor(130 / 24)]);
    expect([cols[4]![7], cols[4]![8]]).toEqual([11.5, temperature[8]]);
    expect(forestColumns({ ...input, temperature: null }, z, how, 11.5)[4]!.every((t) => t === 11.5)).toBe(true);
  });

  it('scores every row as scoreSamples does on the columns, bit for bit, with or without temperatures, whatever the walk', () => {
    const train = forestColumns(input, z, how, 11.5);
    const names = ['z_a', 'z_b', 'hour', 'weekday', 'temperature'];
    const compiled = fitIsolationForest(train, names, { seed: 3, nTrees: 25, maxSamples: 256 });
    const deep = fitIsolationForest(train, names, { seed: 3, nTrees: 3, maxSamples: 5000 });
    expect(compileForest(compiled.trees)).not.toBeNull();
    expect(compileForest(deep.trees)).toBeNull();
    for (const forest of [compiled, deep]) {
      // Values exactly at split thresholds tell a walk that reads them as it should (x <= threshold goes left) from
      // one that is off by the least amount: the fill temperature, and a residual, at a split's threshold.
      const split = (feature: number): number => forest.trees.threshold[forest.trees.feature.indexOf(feature)]!;
      const fill = split(4);
      const zs = z.map((c) => c.slice());
      zs[1]![9] = split(1);
      for (const data of [input, { ...input, temperature: null }]) {
        const want = scoreSamples(forest, forestColumns(data, zs, how, fill));
        const got = forestScores(forest, data, zs, how, fill);
        expect(got).toHaveLength(n);
        for (let i = 0; i < n; i++) if (!Object.is(got[i], want[i])) expect([i, got[i]]).toEqual([i, want[i]]);
      }
    }
  });
});
