import type { Interval, PromotionDecision, RuleCheck } from '../../contract/shared/loop';

/**
 * The promotion rules of policy.json (ARCHITECTURE §4a), judged on one
 * evaluation: the challenger against the champion on the same rows. A rule
 * that needs labels is skipped (and passes, saying so) when there are none.
 */

export interface PromotionRules {
  f1MaxDrop: number;
  aucMaxDrop: number;
  anomalyRateBand: number;
  latencyMaxIncrease: number;
  /**
   * 'interval': F1 and AUC fail only when the paired bootstrap 95 % interval of
   * challenger − champion lies wholly below −maxDrop (the evaluation shows the
   * drop); 'point' (default here): the point estimates decide, noise and all.
   */
  judge?: 'interval' | 'point';
  /** When production itself is outside the band, a challenger strictly closer to the target passes the rate rule. */
  rateCloser?: boolean;
}

/** Paired bootstrap intervals of challenger − champion (EvaluationResult.delta). */
export interface RuleDeltas {
  f1: Interval;
  rocAuc: Interval | null;
}

export interface SideFigures {
  f1: number | null;
  rocAuc: number | null;
  anomalyRate: number;
  latencyP95: number;
}

/** Float noise must not fail "not worse" (0.7 − 0.01 is 0.69 and a bit). */
const EPS = 1e-9;

/** The anomaly rates the policy accepts: target ± band (a share of the target). */
export function rateBand(target: number, band: number): { lo: number; hi: number; contains(rate: number): boolean } {
  const lo = target * (1 - band);
  const hi = target * (1 + band);
  return { lo, hi, contains: (r) => r >= lo - EPS && r <= hi + EPS };
}

export const pct = (x: number): string => `${(100 * x).toFixed(2).replace(/\.?0+$/, '')}%`;
const f3 = (x: number): string => x.toFixed(3);

function notWorse(
  rule: 'f1' | 'auc',
  name: string,
  champion: number | null,
  challenger: number | null,
  maxDrop: number,
  interval: Interval | null,
): RuleCheck {
  if (champion === null || challenger === null) {
    return {
      rule,
      passed: true,
      skipped: true,
      message: `${name}: not measured (no labels with both classes in the evaluation set); rule skipped.`,
    };
  }
  const drop = champion - challenger;
  const limit = maxDrop === 0 ? 'not worse' : `not worse by more than ${maxDrop}`;
  const figures = `challenger ${f3(challenger)} vs champion ${f3(champion)}`;
  if (drop <= maxDrop + EPS) return { rule, passed: true, skipped: false, message: `${name}: ${figures} (passes "${limit}").` };
  if (interval && interval.high >= -maxDrop - EPS) {
    return {
      rule,
      passed: true,
      skipped: false,
      message: `${name}: ${figures}, but the 95% paired interval of the difference (${f3(interval.low)} to ${f3(interval.high)}) does not show it (passes "${limit}").`,
    };
  }
  const shown = interval ? ` and the 95% paired interval of the difference (${f3(interval.low)} to ${f3(interval.high)}) shows it` : '';
  return { rule, passed: false, skipped: false, message: `${name}: ${figures}${shown} (fails "${limit}").` };
}

/**
 * `latencyRatio` (challenger ÷ champion time on the same chunks, paired median)
 * is what the latency rule judges when given; the p95s are shown beside it.
 */
export function checkPromotion(
  champion: SideFigures,
  challenger: SideFigures,
  target: number,
  rules: PromotionRules,
  latencyRatio: number | null = null,
  deltas: RuleDeltas | null = null,
): PromotionDecision {
  const { lo, hi, contains: inBand } = rateBand(target, rules.anomalyRateBand);
  const rate = challenger.anomalyRate;
  // Production outside the band too: keeping it is no better than a challenger nearer the target.
  const closer =
    !!rules.rateCloser &&
    !inBand(rate) &&
    !inBand(champion.anomalyRate) &&
    Math.abs(rate - target) < Math.abs(champion.anomalyRate - target);
  const rateOk = inBand(rate) || closer;
  const byInterval = rules.judge === 'interval' ? deltas : null;
  const ratio = latencyRatio ?? (champion.latencyP95 > 0 ? challenger.latencyP95 / champion.latencyP95 : 1);
  const latencyOk = ratio <= 1 + rules.latencyMaxIncrease + EPS;
  const checks: RuleCheck[] = [
    notWorse('f1', 'F1', champion.f1, challenger.f1, rules.f1MaxDrop, byInterval?.f1 ?? null),
    notWorse('auc', 'ROC AUC', champion.rocAuc, challenger.rocAuc, rules.aucMaxDrop, byInterval?.rocAuc ?? null),
    {
      rule: 'anomalyRate',
      passed: rateOk,
      skipped: false,
      message: closer
        ? `Anomaly rate: challenger ${pct(rate)} is outside ${pct(lo)}–${pct(hi)} but nearer the target ${pct(target)} than production's ${pct(champion.anomalyRate)} (passes).`
        : `Anomaly rate: challenger ${pct(rate)} ${rateOk ? 'is within' : 'is outside'} ${pct(lo)}–${pct(hi)} (target ${pct(target)} ± ${pct(rules.anomalyRateBand)}).`,
    },
    {
      rule: 'latency',
      passed: latencyOk,
      skipped: false,
      message:
        `p95 latency: challenger ${challenger.latencyP95.toFixed(2)} ms vs champion ${champion.latencyP95.toFixed(2)} ms per 1,000 readings` +
        `${latencyRatio === null ? '' : `, ${latencyRatio.toFixed(2)}× on the same chunks`}` +
        ` (${latencyOk ? 'passes' : 'fails'} "not worse by more than ${pct(rules.latencyMaxIncrease)}").`,
    },
  ];
  const failing = checks.find((c) => !c.passed);
  return { passed: !failing, checks, failing: failing ? failing.message : null };
}
