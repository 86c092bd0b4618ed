import { describe, expect, it } from 'vitest';
import { buildReferenceProfile, reservoirSample } from '../../../src-main/core/drift/profile';
import { InvalidProfileError, validateProfile } from '../../../src-main/core/drift/profile-schema';
import { psiEdges } from '../../../src-main/core/stats/psi';
import { quantileSorted } from '../../../src-main/core/stats/quantile';
import { categories, normal } from './helpers';

describe('buildReferenceProfile', () => {
  const load = normal(50_000, 1, 100, 15);
  load[3] = NaN;
  const occupancy = categories(50_000, 2, 5);
  const profile = buildReferenceProfile({ load, occupancy, empty: new Float64Array([NaN, NaN]) }, { sampleSize: 2000, seed: 9 });
  const [f, occ, empty] = profile.features;

  it('summarises a continuous feature', () => {
    expect(f!.name).toBe('load');
    expect(f!.count).toBe(49_999);
    expect(f!.missing).toBe(1);
    expect(f!.mean!).toBeCloseTo(100, 0);
    expect(f!.std!).toBeCloseTo(15, 0);
    const sorted = Float64Array.from(load.filter((v) => !Number.isNaN(v))).sort();
    expect(f!.quantiles!.p50).toBe(quantileSorted(sorted, 0.5));
    expect(f!.quantiles!.p99).toBe(quantileSorted(sorted, 0.99));
    expect(f!.min).toBe(sorted[0]);
    expect(f!.psi.edges).toEqual(psiEdges(sorted, 10));
    expect(f!.psi.proportions).toHaveLength(10);
    expect(f!.psi.proportions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(f!.histogram.counts).toHaveLength(30);
    expect(f!.histogram.counts.reduce((a, b) => a + b, 0)).toBe(49_999);
    expect(f!.distinct).toBeGreaterThan(40_000);
    expect(f!.valueCounts).toBeNull();
    expect(f!.sample).toHaveLength(2000);
  });

  it('keeps value counts for low-cardinality features', () => {
    expect(occ!.distinct).toBe(5);
    expect(occ!.valueCounts!.values).toEqual([0, 1, 2, 3, 4]);
    expect(occ!.valueCounts!.counts.reduce((a, b) => a + b, 0)).toBe(50_000);
  });

  it('represents a feature without data with nulls, not NaN', () => {
    expect(empty).toMatchObject({ count: 0, missing: 2, mean: null, quantiles: null, sample: [] });
  });

  it('is deterministic for a seed and valid plain JSON', () => {
    const again = buildReferenceProfile({ load, occupancy, empty: new Float64Array([NaN, NaN]) }, { sampleSize: 2000, seed: 9 });
    expect(again).toEqual(profile);
    const json = JSON.parse(JSON.stringify(profile)) as unknown;
    expect(validateProfile(json)).toEqual(profile);
  });

  it('samples uniformly (the sample median tracks the data median)', () => {
    const sorted = Float64Array.from(load.filter((v) => !Number.isNaN(v))).sort();
    const sample = reservoirSample(sorted, 2000, 5);
    expect(quantileSorted(sample, 0.5)).toBeCloseTo(quantileSorted(sorted, 0.5), -0.5);
    expect(reservoirSample([3, 1, 2], 10, 1)).toEqual(new Float64Array([1, 2, 3]));
  });
});

describe('validateProfile', () => {
  const good = buildReferenceProfile({ x: normal(500, 3) }, { sampleSize: 100 });

  it('rejects non-profiles with a clear message', () => {
    expect(() => validateProfile({ hello: 1 })).toThrow(InvalidProfileError);
    expect(() => validateProfile(null)).toThrow(/invalid reference profile/);
  });

  it('points at inconsistent PSI bins', () => {
    const bad = JSON.parse(JSON.stringify(good)) as { features: Array<{ psi: { proportions: number[] } }> };
    bad.features[0]!.psi.proportions.pop();
    expect(() => validateProfile(bad)).toThrow(/features\[0\]\.psi\.proportions: expected 10 PSI proportions for 9 edges, got 9/);
  });

  it('rejects NaN smuggled in as a number and unknown versions', () => {
    const bad = JSON.parse(JSON.stringify(good)) as { version: number; features: Array<{ mean: number }> };
    bad.features[0]!.mean = NaN;
    expect(() => validateProfile(bad)).toThrow(/features\[0\]\.mean/);
    const v2 = { ...good, version: 2 };
    expect(() => validateProfile(v2)).toThrow(/version/);
  });
});

describe('validateProfile: the samples', () => {
  const good = buildReferenceProfile({ x: normal(500, 3) }, { sampleSize: 100 });
  const withSample = (sample: unknown): unknown => {
    const bad = JSON.parse(JSON.stringify(good)) as { features: Array<{ sample: unknown }> };
    bad.features[0]!.sample = sample;
    return bad;
  };

  it('names the first sample value that is not a finite number, and a sample that is not an array', () => {
    const sample = [...good.features[0]!.sample];
    expect(() => validateProfile(withSample([...sample.slice(0, 3), NaN, ...sample.slice(4)]))).toThrow(
      /features\[0\]\.sample\[3\]: must be a finite number/,
    );
    expect(() => validateProfile(withSample([...sample.slice(0, 7), '1.5', ...sample.slice(8)]))).toThrow(
      /features\[0\]\.sample\[7\]: must be a finite number/,
    );
    expect(() => validateProfile(withSample({ 0: 1 }))).toThrow(/features\[0\]\.sample: expected an array of numbers/);
  });

  it('gives back the stored profile, samples included', () => {
    expect(validateProfile(JSON.parse(JSON.stringify(good)))).toEqual(good);
  });
});
