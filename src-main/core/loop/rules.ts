import type { PromotionDecision, RuleCheck } from '../../contract/shared/loop';

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
}

export interface SideFigures {
  f1: number | null;
  rocAuc: number | null;
  anomalyRate: number;
  latencyP95: number;
}

/** Float noise must not fail "not worse" (0.7 − 0.01 is 0.69 and a bit). */
const EPS = 1e-9;

const pct = (x: number): string => `${(100 * x).toFixed(2).replace(/\.?0+$/, '')}%`;
const f3 = (x: number): string => x.toFixed(3);

function notWorse(rule: 'f1' | 'auc', name: string, champion: number | null, challenger: number | null, maxDrop: number): RuleCheck {
  if (champion === null || challenger === null) {
    return {
      rule,
      passed: true,
      skipped: true,
      message: `${name}: not measured (no labels with both classes in the evaluation set); rule skipped.`,
    };
  }
  const drop = champion - challenger;
  const passed = drop <= maxDrop + EPS;
  const limit = maxDrop === 0 ? 'not worse' : `not worse by more than ${maxDrop}`;
  return {
    rule,
    passed,
    skipped: false,
    message: `${name}: challenger ${f3(challenger)} vs champion ${f3(champion)} (${passed ? 'passes' : 'fails'} "${limit}").`,
  };
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
): PromotionDecision {
  const lo = target * (1 - rules.anomalyRateBand);
  const hi = target * (1 + rules.anomalyRateBand);
  const rate = challenger.anomalyRate;
  const rateOk = rate >= lo - EPS && rate <= hi + EPS;
  const ratio = latencyRatio ?? (champion.latencyP95 > 0 ? challenger.latencyP95 / champion.latencyP95 : 1);
  const latencyOk = ratio <= 1 + rules.latencyMaxIncrease + EPS;
  const checks: RuleCheck[] = [
    notWorse('f1', 'F1', champion.f1, challenger.f1, rules.f1MaxDrop),
    notWorse('auc', 'ROC AUC', champion.rocAuc, challenger.rocAuc, rules.aucMaxDrop),
    {
      rule: 'anomalyRate',
      passed: rateOk,
      skipped: false,
      message: `Anomaly rate: challenger ${pct(rate)} ${rateOk ? 'is within' : 'is outside'} ${pct(lo)}–${pct(hi)} (target ${pct(target)} ± ${pct(rules.anomalyRateBand)}).`,
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
