/**
 * A small fixture for pinning the contextual detector's fit: 4 buildings × 1
 * simulated year (yearly terms, closed days, every fault type) plus a building
 * with 20 days only (fitted with the fleet baseline), and what of a fit is
 * pinned. test/fixtures/contextual-fit-golden.json holds that summary as the
 * one-thread fit computed it before the fitting path was made faster (written
 * at commit 4a30c25, which already judged occupied hours after closed days
 * and recorded each building's temperature support; each building's per-block
 * supports, which the fit does not use, were added to it later).
 */
import { BUILDING_KINDS } from '../../src-main/core/data/building-kinds';
import { getColumn } from '../../src-main/core/data/table';
import { DEFAULT_YEAR_START, simulateYears } from '../../src-main/core/data/year-simulator';
import type { ContextualInput, ContextualScores } from '../../src-main/core/model/contextual/types';
import { numericColumn, TEST_METERS, TEST_NAMES } from './contextual-input';

export const GOLDEN_NAMES = TEST_NAMES;
/** Fewer, smaller trees than the default keep the pinned forest small; the fit path is the same. */
export const GOLDEN_OVERRIDES = { trees: 5, sampleSize: 64 };

export function goldenInput(): ContextualInput {
  const t = simulateYears({ buildings: 5, years: 1, seed: 7, anomalyRate: 0.03, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
  const ids = getColumn(t, 'building_id');
  if (!ids || ids.kind !== 'category') throw new Error('building_id');
  const time = numericColumn(t, 'timestamp');
  const t0 = time[0]!;
  const short = ids.dictionary.length - 1;
  const rows: number[] = [];
  for (let i = 0; i < time.length; i++) if (ids.codes[i] !== short || time[i]! < t0 + 20 * 86_400_000) rows.push(i);
  const pick = <T extends Float64Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as { new (n: number): T })(rows.length);
    rows.forEach((i, k) => (out[k] = a[i]!));
    return out;
  };
  return {
    time: pick(time),
    groups: { codes: pick(ids.codes), dictionary: ids.dictionary },
    temperature: pick(numericColumn(t, 'outdoor_temp_c')),
    meters: TEST_METERS.map((m) => pick(numericColumn(t, m))),
    stuckColumns: GOLDEN_NAMES.stuckCandidates.map((m) => pick(numericColumn(t, m))),
  };
}

/** The model file's content and the training rows' flags, members, rules and a checksum of their scores. */
export function goldenSummary(artifactJson: string, training: ContextualScores): unknown {
  const flagged: number[] = [];
  let scoreSum = 0;
  for (let i = 0; i < training.flags.length; i++) {
    if (training.flags[i]) flagged.push(i);
    scoreSum += training.scores[i]!;
  }
  return {
    model: JSON.parse(artifactJson) as unknown,
    flagged,
    member: flagged.map((i) => training.member[i]!),
    rule: flagged.map((i) => training.rule[i]!),
    scoreSum,
    warnings: training.warnings,
  };
}
