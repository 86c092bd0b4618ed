import { describe, expect, it } from 'vitest';
import { abVerdict, armOf, twoProportionTest } from '../../../src-main/core/loop/ab';

describe('A/B routing and the two-proportion test', () => {
  it('routing is deterministic per key and close to the share', () => {
    expect(armOf('B07', 0.1)).toBe(armOf('B07', 0.1));
    const ids = Array.from({ length: 20_000 }, (_, i) => `building-${i}`);
    const share = ids.filter((id) => armOf(id, 0.1) === 'challenger').length / ids.length;
    expect(share).toBeGreaterThan(0.085);
    expect(share).toBeLessThan(0.115);
    expect(ids.every((id) => armOf(id, 0) === 'champion' && armOf(id, 1) === 'challenger')).toBe(true);
  });

  it('matches scipy (pooled z, 2·norm.sf(|z|)) on known answers', () => {
    const a = twoProportionTest(30, 1000, 50, 1000);
    expect(a.z).toBeCloseToRel(2.2821773229381925, { rel: 1e-12 });
    expect(a.pValue).toBeCloseToRel(0.022478873366125248, { rel: 1e-6 });
    expect(twoProportionTest(5, 200, 5, 200)).toEqual({ difference: 0, z: 0, pValue: 1 });
  });

  it('says when the sample is too small, names the arm, and decides otherwise', () => {
    expect(abVerdict({ champion: { n: 5000, flagged: 50 }, challenger: { n: 300, flagged: 4 } })).toEqual({
      decided: false,
      test: null,
      message: 'Sample too small to decide: the challenger arm needs at least 10 flagged and 10 unflagged readings.',
    });
    const v = abVerdict({ champion: { n: 1000, flagged: 30 }, challenger: { n: 1000, flagged: 50 } });
    expect(v.decided).toBe(true);
    expect(v.message).toBe('The anomaly rates differ (champion 3.00% vs challenger 5.00%, p = 0.0225).');
  });
});
