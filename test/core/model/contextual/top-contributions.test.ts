import { describe, expect, it } from 'vitest';
import { inputRows } from '../../../../src-main/backend/model/contextual-parallel';
import { BUILDING_KINDS } from '../../../../src-main/core/data/building-kinds';
import { DEFAULT_YEAR_START, simulateYears } from '../../../../src-main/core/data/year-simulator';
import { fitContextual, scoreContextual } from '../../../../src-main/core/model/contextual/detector';
import { readingShares, topContributions, type Contribution } from '../../../../src-main/core/model/contextual/importance';
import { MEMBERS } from '../../../../src-main/core/model/contextual/types';
import { contextualInput, TEST_NAMES } from '../../../helpers/contextual-input';

/**
 * The explanation log's contributions of each flag (topContributions) take shortcuts for the members whose shares are
 * simple (a rule's or the sustained member's feature carries it all; the residual member's positive z in proportion).
 * They must equal the general answer: readingShares rounded to 4 decimals, largest first, the top ones kept.
 */
describe('a flag’s top contributions', () => {
  const table = simulateYears({ buildings: 10, years: 1, seed: 3, anomalyRate: 0.05, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
  const all = contextualInput(table);
  const hours = 10 * 24;
  const range = (from: number, n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => from + i);
  const { model } = fitContextual(inputRows(all, range(0, 60 * hours)), TEST_NAMES);
  const score = inputRows(all, range(60 * hours, 60 * hours));
  const s = scoreContextual(model, score);

  // The sustained member raises few flags in a short span: every other flag's member is set to it, its feature kept.
  const sustained = MEMBERS.indexOf('sustained');
  const mixed = { ...s, member: s.member.map((m, i) => (i % 2 ? sustained : m)) };

  const general = (scores: typeof s, i: number, top: number): Contribution[] =>
    [...readingShares(model, scores, score, i)]
      .map(([f, v]): Contribution => [f, Number(v.toFixed(4))])
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, top);

  it('equal readingShares’ answer at every flag, for every member that raised one', () => {
    const members = new Map<string, number>();
    for (const scores of [s, mixed]) {
      for (let i = 0; i < scores.flags.length; i++) {
        if (!scores.flags[i]) continue;
        const member = MEMBERS[scores.member[i]!]!;
        members.set(member, (members.get(member) ?? 0) + 1);
        for (const top of [3, 1, 0]) expect(topContributions(model, scores, score, i, top)).toEqual(general(scores, i, top));
      }
    }
    // Every shortcut is taken.
    for (const m of ['residual', 'sustained', 'rules']) expect(members.get(m) ?? 0).toBeGreaterThan(50);
  });

  it('a rule names its feature alone (known answer)', () => {
    const i = s.flags.findIndex((f, k) => f === 1 && MEMBERS[s.member[k]!] === 'rules');
    const driver = s.feature[i]!;
    const name = driver < model.meters.length ? model.meters[driver]! : model.stuckColumns[driver - model.meters.length]!;
    expect(topContributions(model, s, score, i)).toEqual([[name, 1]]);
  });
});
