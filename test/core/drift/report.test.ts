import { describe, expect, it } from 'vitest';
import { buildReferenceProfile } from '../../../src-main/core/drift/profile';
import { driftReport } from '../../../src-main/core/drift/report';
import { DEFAULT_DRIFT_THRESHOLDS as DEFAULT_THRESHOLDS } from '../../../src-main/contract/shared/monitoring';
import { psi } from '../../../src-main/core/stats/psi';
import { ks2samp } from '../../../src-main/core/stats/ks';
import { categories, normal } from './helpers';

const N = 10_000;
const names = ['a', 'b', 'c', 'd', 'e'];
const columns = (seed: number, shift = 0): Record<string, Float64Array> =>
  Object.fromEntries(names.map((n, i) => [n, normal(N, seed * 100 + i, shift)]));

describe('driftReport scenarios', () => {
  it('two N(0,1) samples with different seeds: nothing flagged at default thresholds', () => {
    const report = driftReport(columns(1), columns(2), DEFAULT_THRESHOLDS);
    expect(report.features).toHaveLength(5);
    expect(report.features.filter((f) => f.drifted)).toEqual([]);
    expect(report.driftedShare).toBe(0);
    expect(report.datasetDrift).toBe(false);
    expect(report.alerts).toEqual([]);
    for (const f of report.features) {
      expect(f.psi).toBeLessThan(0.01);
      expect(f.ks.method).toBe('exact');
      expect(f.meanShift).toBeLessThan(0.05);
    }
    expect(report.driftScore).toBeLessThan(0.05);
  });

  it('a +1σ shift is flagged on every feature, with reasons', () => {
    const report = driftReport(columns(1), columns(2, 1), DEFAULT_THRESHOLDS);
    expect(report.driftedFeatures).toEqual(names);
    expect(report.driftedShare).toBe(1);
    expect(report.datasetDrift).toBe(true);
    expect(report.driftScore).toBe(1);
    const a = report.features[0]!;
    expect(a.firedTests).toEqual(['psi', 'ks']);
    expect(a.reasons[0]).toMatch(/^PSI \d+(\.\d+)? ≥ 0\.1$/);
    expect(a.reasons[1]).toMatch(/^KS p \(BH-adjusted\) \S+ < 0\.05 with mean shift 1(\.\d+)?σ ≥ 0\.1σ and Wasserstein \S+σ ≥ 0\.1σ$/);
    expect(a.meanShift).toBeGreaterThan(0.9);
    expect(a.meanShift).toBeLessThan(1.1);
    expect(report.alerts).toHaveLength(5);
    expect(report.alerts[0]).toMatch(/^Feature "a" drifted: PSI/);
  });

  it('reports the same PSI and KS as the standalone statistics', () => {
    const ref = columns(1);
    const cur = columns(3, 0.2);
    const report = driftReport(ref, cur, DEFAULT_THRESHOLDS);
    const b = report.features[1]!;
    expect(b.psi).toBe(psi(ref.b!, cur.b!));
    const ks = ks2samp(ref.b!, cur.b!);
    expect(b.ks.statistic).toBe(ks.statistic);
    expect(b.ks.pValue).toBe(ks.pValue);
  });

  it('a profile gives the same PSI as the raw reference (and KS on its sample)', () => {
    const ref = columns(1);
    const cur = columns(4, 0.3);
    const profile = buildReferenceProfile(ref, { sampleSize: 2000, seed: 1 });
    const raw = driftReport(ref, cur, DEFAULT_THRESHOLDS);
    const viaProfile = driftReport(JSON.parse(JSON.stringify(profile)) as typeof profile, cur, DEFAULT_THRESHOLDS);
    expect(viaProfile.referenceSource).toBe('profile');
    for (let i = 0; i < names.length; i++) {
      expect(viaProfile.features[i]!.psi).toBe(raw.features[i]!.psi);
      expect(viaProfile.features[i]!.jensenShannon).toBe(raw.features[i]!.jensenShannon);
      expect(viaProfile.features[i]!.counts.referenceUsedForKs).toBe(2000);
      expect(viaProfile.features[i]!.drifted).toBe(raw.features[i]!.drifted);
    }
  });

  it('big samples: a significant KS with a tiny effect is not flagged, and says so', () => {
    const ref = { x: normal(200_000, 7) };
    const cur = { x: normal(200_000, 8, 0.03) };
    const f = driftReport(ref, cur, DEFAULT_THRESHOLDS).features[0]!;
    expect(f.ks.method).toBe('asymp');
    expect(f.ks.pAdjusted!).toBeLessThan(0.05);
    expect(f.drifted).toBe(false);
    expect(f.notes[0]).toMatch(/^KS p \(BH-adjusted\) .* < 0\.05 but effect sizes are small/);
  });

  it('low-cardinality features use chi-square instead of KS', () => {
    const ref = { occupancy: categories(5000, 1, 4) };
    const same = driftReport(ref, { occupancy: categories(5000, 2, 4) }, DEFAULT_THRESHOLDS).features[0]!;
    expect(same.kind).toBe('categorical');
    expect(same.chiSquare!.dof).toBe(3);
    expect(same.ks.pAdjusted).toBeNull();
    expect(same.drifted).toBe(false);
    const shifted = driftReport(ref, { occupancy: categories(5000, 3, 4, 3, 0.5) }, DEFAULT_THRESHOLDS).features[0]!;
    expect(shifted.drifted).toBe(true);
    expect(shifted.firedTests).toContain('chiSquare');
    expect(shifted.reasons.some((r) => r.startsWith('chi-square p (BH-adjusted)'))).toBe(true);
  });

  it('has the ARCHITECTURE §7 JSON shape, with finite numbers only', () => {
    const report = driftReport(columns(1), columns(2, 0.5), { ...DEFAULT_THRESHOLDS, correction: 'bonferroni' });
    const json = JSON.parse(JSON.stringify(report)) as {
      features: Array<Record<string, unknown> & { ks: Record<string, unknown> }>;
      driftedShare: unknown;
      datasetDrift: unknown;
    };
    expect(typeof json.driftedShare).toBe('number');
    expect(typeof json.datasetDrift).toBe('boolean');
    for (const f of json.features) {
      for (const key of ['name', 'psi', 'meanShift', 'wasserstein', 'jensenShannon', 'drifted', 'reasons']) expect(f).toHaveProperty(key);
      for (const key of ['statistic', 'pValue', 'method']) expect(f.ks).toHaveProperty(key);
      expect(Array.isArray(f.reasons)).toBe(true);
    }
    expect(JSON.stringify(report)).not.toMatch(/null(?!,"method")/);
  });

  it('overlay histograms share bins, cover both samples and stay within 60 bins', () => {
    const f = driftReport(columns(1), columns(2, 2), DEFAULT_THRESHOLDS, { histogramBins: 100 }).features[0]!;
    expect(f.referenceHistogram.edges).toEqual(f.currentHistogram.edges);
    expect(f.referenceHistogram.counts.length).toBeLessThanOrEqual(60);
    expect(f.referenceHistogram.counts.reduce((a, b) => a + b, 0)).toBe(N);
    expect(f.currentHistogram.counts.reduce((a, b) => a + b, 0)).toBe(N);
  });

  it('skips what cannot be assessed and honours the feature list', () => {
    const ref = { a: normal(100, 1), b: normal(100, 2), gone: new Float64Array([NaN]) };
    const cur = { a: normal(100, 3), b: new Float64Array(100).fill(NaN), gone: normal(10, 1) };
    const report = driftReport(ref, cur, DEFAULT_THRESHOLDS, { features: ['a', 'b', 'gone', 'nowhere'] });
    expect(report.features.map((f) => f.name)).toEqual(['a']);
    expect(report.skipped).toEqual([
      { name: 'gone', reason: 'no finite values in the reference' },
      { name: 'nowhere', reason: 'not in the reference' },
      { name: 'b', reason: 'no finite values in the current data' },
    ]);
  });

  it('rejects bad thresholds', () => {
    expect(() => driftReport(columns(1), columns(2), { ...DEFAULT_THRESHOLDS, ksPValue: 0 })).toThrow(/ksPValue/);
  });

  it('states its rule', () => {
    expect(driftReport({ a: normal(50, 1) }, { a: normal(50, 2) }, DEFAULT_THRESHOLDS).rule).toMatch(/PSI ≥ 0\.1.*mean shift ≥ 0\.1σ/);
  });
});
