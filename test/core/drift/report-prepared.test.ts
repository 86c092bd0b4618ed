import { describe, expect, it } from 'vitest';
import { DEFAULT_DRIFT_THRESHOLDS } from '../../../src-main/contract/shared/monitoring';
import { buildReferenceProfile } from '../../../src-main/core/drift/profile';
import { driftReport } from '../../../src-main/core/drift/report';
import { normal } from './helpers';

/** The prepared profile is reused across reports (the health check's hot path): results equal a fresh profile's. */
describe('drift report on a reused profile', () => {
  const profile = buildReferenceProfile({ a: normal(5_000, 1, 0, 1), b: normal(5_000, 2, 10, 2) });
  const fresh = () => structuredClone(profile);

  it('gives the report a fresh profile gives, window after window, with other feature subsets in between', () => {
    for (const [k, shift] of [0, 0.3, 1].entries()) {
      const current = { a: normal(2_000, 10 + k, shift, 1), b: normal(2_000, 20 + k, 10, 2 + shift) };
      expect(driftReport(profile, current, DEFAULT_DRIFT_THRESHOLDS)).toEqual(driftReport(fresh(), current, DEFAULT_DRIFT_THRESHOLDS));
      const onlyB = driftReport(profile, current, DEFAULT_DRIFT_THRESHOLDS, { features: ['b', 'zz'] });
      expect(onlyB).toEqual(driftReport(fresh(), current, DEFAULT_DRIFT_THRESHOLDS, { features: ['b', 'zz'] }));
      expect(onlyB.features.map((f) => f.name)).toEqual(['b']);
      expect(onlyB.skipped).toEqual([{ name: 'zz', reason: 'not in the reference' }]);
    }
  });
});
