import { describe, expect, it } from 'vitest';
import { checkPromotion, type PromotionRules, type SideFigures } from '../../../src-main/core/loop/rules';

// The promotion rules of policy.json, with known answers: each rule at, inside and past its limit.
const RULES: PromotionRules = { f1MaxDrop: 0.01, aucMaxDrop: 0, anomalyRateBand: 0.5, latencyMaxIncrease: 0.2 };
const champion: SideFigures = { f1: 0.7, rocAuc: 0.9, anomalyRate: 0.01, latencyP95: 10 };

const failing = (challenger: Partial<SideFigures>, rules = RULES) => checkPromotion(champion, { ...champion, ...challenger }, 0.01, rules);

describe('promotion rules', () => {
  it('passes an identical challenger and names every rule it checked', () => {
    const d = failing({});
    expect(d.passed).toBe(true);
    expect(d.failing).toBeNull();
    expect(d.checks.map((c) => [c.rule, c.passed])).toEqual([
      ['f1', true],
      ['auc', true],
      ['anomalyRate', true],
      ['latency', true],
    ]);
  });

  it('F1 may drop by exactly the allowance (0.7 → 0.69) but not by 0.011', () => {
    expect(failing({ f1: 0.69 }).passed).toBe(true);
    const d = failing({ f1: 0.689 });
    expect(d.passed).toBe(false);
    expect(d.failing).toBe('F1: challenger 0.689 vs champion 0.700 (fails "not worse by more than 0.01").');
  });

  it('AUC not worse: any drop fails, a rise passes', () => {
    expect(failing({ rocAuc: 0.95 }).passed).toBe(true);
    expect(failing({ rocAuc: 0.899 }).failing).toBe('ROC AUC: challenger 0.899 vs champion 0.900 (fails "not worse").');
  });

  it('anomaly rate within ±50 % of a 1 % target: 0.5 % and 1.5 % pass, 1.6 % and 0.4 % fail', () => {
    expect(failing({ anomalyRate: 0.005 }).passed).toBe(true);
    expect(failing({ anomalyRate: 0.015 }).passed).toBe(true);
    expect(failing({ anomalyRate: 0.016 }).failing).toBe('Anomaly rate: challenger 1.6% is outside 0.5%–1.5% (target 1% ± 50%).');
    expect(failing({ anomalyRate: 0.004 }).passed).toBe(false);
  });

  it('p95 latency may rise 20 %: 12 ms passes, 12.5 ms fails', () => {
    expect(failing({ latencyP95: 12 }).passed).toBe(true);
    expect(failing({ latencyP95: 12.5 }).failing).toBe(
      'p95 latency: challenger 12.50 ms vs champion 10.00 ms per 1,000 readings (fails "not worse by more than 20%").',
    );
  });

  it('with a paired ratio (challenger ÷ champion on the same chunks) the rule judges the ratio, not the noisy p95s', () => {
    const spiky = { ...champion, latencyP95: 40 };
    expect(checkPromotion(champion, spiky, 0.01, RULES, 1.05).passed).toBe(true);
    expect(checkPromotion(champion, champion, 0.01, RULES, 1.25).failing).toBe(
      'p95 latency: challenger 10.00 ms vs champion 10.00 ms per 1,000 readings, 1.25× on the same chunks (fails "not worse by more than 20%").',
    );
  });

  it('without labels the F1 and AUC rules are skipped (and pass), the others still judge', () => {
    const noLabels = { f1: null, rocAuc: null };
    const d = checkPromotion({ ...champion, ...noLabels }, { ...champion, ...noLabels, anomalyRate: 0.03 }, 0.01, RULES);
    expect(d.checks.filter((c) => c.skipped).map((c) => c.rule)).toEqual(['f1', 'auc']);
    expect(d.passed).toBe(false);
    expect(d.failing).toMatch(/^Anomaly rate: challenger 3% is outside/);
  });

  it('the first failing rule is the one named when several fail', () => {
    const d = failing({ f1: 0.5, anomalyRate: 0.05 });
    expect(d.checks.filter((c) => !c.passed).map((c) => c.rule)).toEqual(['f1', 'anomalyRate']);
    expect(d.failing).toMatch(/^F1: /);
  });

  it("judge 'interval': a lower F1 fails only when the paired interval of the difference shows a drop past the allowance", () => {
    const rules: PromotionRules = { ...RULES, judge: 'interval' };
    const noisy = { f1: { low: -0.2, high: 0.05 }, rocAuc: { low: -0.02, high: 0.01 } };
    const d = checkPromotion(champion, { ...champion, f1: 0.6, rocAuc: 0.89 }, 0.01, rules, null, noisy);
    expect(d.passed).toBe(true);
    expect(d.checks[0]!.message).toBe(
      'F1: challenger 0.600 vs champion 0.700, but the 95% paired interval of the difference (-0.200 to 0.050) does not show it (passes "not worse by more than 0.01").',
    );
    // The interval's top at -0.011: worse by more than 0.01 is shown.
    const shown = { f1: { low: -0.2, high: -0.011 }, rocAuc: null };
    expect(checkPromotion(champion, { ...champion, f1: 0.6 }, 0.01, rules, null, shown).failing).toBe(
      'F1: challenger 0.600 vs champion 0.700 and the 95% paired interval of the difference (-0.200 to -0.011) shows it (fails "not worse by more than 0.01").',
    );
    // At exactly -0.01 it is not shown; with judge 'point' the same figures fail.
    expect(
      checkPromotion(champion, { ...champion, f1: 0.6 }, 0.01, rules, null, { f1: { low: -0.2, high: -0.01 }, rocAuc: null }).passed,
    ).toBe(true);
    expect(checkPromotion(champion, { ...champion, f1: 0.6 }, 0.01, { ...RULES, judge: 'point' }, null, noisy).passed).toBe(false);
  });

  it('rateCloser: with production outside the band, a challenger strictly nearer the target passes; never when production is in band', () => {
    const rules: PromotionRules = { ...RULES, rateCloser: true };
    const prod = { ...champion, anomalyRate: 0.2 };
    const d = checkPromotion(prod, { ...prod, anomalyRate: 0.09 }, 0.01, rules);
    expect(d.passed).toBe(true);
    expect(d.checks[2]!.message).toBe(
      "Anomaly rate: challenger 9% is outside 0.5%–1.5% but nearer the target 1% than production's 20% (passes).",
    );
    // Production in band: the band alone judges, so 0.4 % fails.
    expect(checkPromotion({ ...champion, anomalyRate: 0.014 }, { ...champion, anomalyRate: 0.004 }, 0.01, rules).passed).toBe(false);
    // Both out of band, the challenger no nearer: fails.
    expect(checkPromotion({ ...champion, anomalyRate: 0.03 }, { ...champion, anomalyRate: 0.03 }, 0.01, rules).passed).toBe(false);
    expect(checkPromotion(prod, { ...prod, anomalyRate: 0.09 }, 0.01, RULES).passed).toBe(false);
  });
});
