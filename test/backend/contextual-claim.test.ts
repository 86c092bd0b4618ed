import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claimRequest, scoreContextualClaimed, type ContextualClaimReply } from '../../src-main/backend/model/contextual-claim';
import { buildingSlices, inputRows } from '../../src-main/backend/model/contextual-parallel';
import { runOnThread } from '../../src-main/backend/model/score-threads';
import { fromPlaces } from '../../src-main/core/model/contextual/places';
import { BUILDING_KINDS } from '../../src-main/core/data/building-kinds';
import { DEFAULT_YEAR_START, simulateYears } from '../../src-main/core/data/year-simulator';
import { contextualInput, TEST_METERS, TEST_NAMES } from '../helpers/contextual-input';
import { fitContextual, scoreContextual } from '../../src-main/core/model/contextual/detector';
import { topContributions } from '../../src-main/core/model/contextual/importance';

// The development entry registers tsx, so a thread can run the TypeScript worker source.
const workerScript = fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url));

describe('contextual scoring with slices claimed by every thread', () => {
  // 7 buildings; the first 120 days train 6 of them, the next 120 days are scored (building 7 unseen).
  const table = simulateYears({ buildings: 7, years: 1, seed: 5, anomalyRate: 0.03, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
  const all = contextualInput(table);
  const days = 120 * 24 * 7;
  const range = (from: number, n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => from + i);
  const train = inputRows(
    all,
    range(0, days).filter((i) => all.groups!.codes[i] !== 6),
  );
  const score = inputRows(all, range(days, days));
  const { model } = fitContextual(train, TEST_NAMES);
  const expected = scoreContextual(model, score);

  it('gives the one-thread scores, flags, members and warnings, and its detail at every flagged row', async () => {
    const seen: number[] = [];
    const got = await scoreContextualClaimed(model, score, { workerScript, threads: 2 }, (done, total) => {
      expect(total).toBe(days);
      seen.push(done);
    });
    expect(got.scores).toEqual(expected.scores);
    expect(got.flags).toEqual(expected.flags);
    expect(got.member).toEqual(expected.member);
    expect(got.warnings).toEqual(expected.warnings);
    expect(got.warnings[0]).toMatch(/^1 building not seen in training \(B07\)/);
    // Not asked for: no contributions found.
    expect(got.explained).toBeNull();
    let flagged = 0;
    for (let i = 0; i < days; i++) {
      if (!expected.flags[i]) {
        // Nothing but zeros where there is no flag to explain.
        expect(got.flagged.z[0]![i]).toBe(0);
        continue;
      }
      flagged++;
      expect(got.flagged.feature[i]).toBe(expected.feature[i]);
      expect(got.flagged.rule[i]).toBe(expected.rule[i]);
      for (const [m, values] of Object.entries(expected.memberScores)) expect(got.flagged.memberScores[m as 'residual'][i]).toBe(values[i]);
      for (let m = 0; m < TEST_METERS.length; m++) {
        expect(got.flagged.z[m]![i]).toBe(expected.z[m]![i]);
        expect(got.flagged.expected[m]![i]).toBe(expected.expected[m]![i]);
      }
    }
    expect(flagged).toBeGreaterThan(100);
    // Rows done rise to every row; the scores handed on are not in shared memory (they are transferred and written).
    for (let k = 1; k < seen.length; k++) expect(seen[k]!).toBeGreaterThanOrEqual(seen[k - 1]!);
    expect(seen.at(-1)).toBe(days);
    expect(got.scores.buffer).toBeInstanceOf(ArrayBuffer);
    expect(got.flags.buffer).toBeInstanceOf(ArrayBuffer);
    // The caller's columns are neither detached nor changed.
    expect(score.time.length).toBe(days);
  });

  it('gives the same result when the helper thread scores every slice', async () => {
    const got = await scoreContextualClaimed(model, score, { workerScript, threads: 2 }, undefined, 'explained', false);
    expect(got.scores).toEqual(expected.scores);
    expect(got.flags).toEqual(expected.flags);
    expect(got.member).toEqual(expected.member);
    expect(got.warnings).toEqual(expected.warnings);
    // Each flag's top contributions, found by the thread that scored it, are the one-thread ones (and no detail is kept for them).
    const flaggedRows = Array.from(expected.flags.keys()).filter((i) => expected.flags[i]);
    expect([...got.explained!.keys()].sort((a, b) => a - b)).toEqual(flaggedRows);
    for (const i of flaggedRows) expect(got.explained!.get(i)).toEqual(topContributions(model, expected, score, i));
    expect(got.flagged.z[1]).toHaveLength(0);
  });

  it('keeps nothing about the flags beyond scores, flags and members when asked for none (a request that logs no explanations)', async () => {
    const got = await scoreContextualClaimed(model, score, { workerScript, threads: 2 }, undefined, 'none');
    expect(got.scores).toEqual(expected.scores);
    expect(got.flags).toEqual(expected.flags);
    expect(got.member).toEqual(expected.member);
    expect(got.explained).toBeNull();
    expect([
      got.flagged.z[0]!.length,
      got.flagged.expected[0]!.length,
      got.flagged.rule.length,
      got.flagged.memberScores.residual.length,
    ]).toEqual([0, 0, 0, 0]);
    expect(got.flagged.flags).toBe(got.flags);
  });

  it('gives the same result when this thread claims every slice (no helper thread)', async () => {
    const got = await scoreContextualClaimed(model, score, { workerScript, threads: 1 });
    expect(got.scores).toEqual(expected.scores);
    expect(got.flags).toEqual(expected.flags);
    expect(got.warnings).toEqual(expected.warnings);
  });

  it('stops at a progress callback that throws (a cancel) and rejects with its error', async () => {
    const cancelled = new Error('cancelled');
    let calls = 0;
    await expect(
      scoreContextualClaimed(model, score, { workerScript, threads: 2 }, () => {
        calls++;
        throw cancelled;
      }),
    ).rejects.toBe(cancelled);
    expect(calls).toBe(1);
  });

  it('a helper handed the request before the rows are laid out claims nothing until they are, then scores them all', async () => {
    const { request, layOut } = claimRequest(model, score, buildingSlices(score, 4), 'detail');
    const reply = runOnThread<ContextualClaimReply>({ workerScript }, request, []);
    // Long enough for the helper to start and wait: until the rows are laid out it must not claim a slice.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(Array.from(request.counters)).toEqual([0, 0, 0]);
    const at = layOut();
    expect((await reply).ok).toBe(true);
    expect(request.counters[1]).toBe(days);
    const scores = new Float64Array(days);
    fromPlaces(scores, request.placed.scores, at);
    expect(scores).toEqual(expected.scores);
  });

  it('a helper claims nothing when laying out the rows failed', async () => {
    const { request } = claimRequest(model, score, buildingSlices(score, 4), 'detail');
    const reply = runOnThread<ContextualClaimReply>({ workerScript }, request, []);
    // What layOut does when it throws.
    Atomics.store(request.counters, 2, -1);
    Atomics.notify(request.counters, 2);
    expect(await reply).toEqual({ ok: true, notes: [] });
    expect(Array.from(request.counters)).toEqual([0, 0, -1]);
  });
});
