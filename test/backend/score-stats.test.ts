import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { claimedScoreStats, scoreStats, statsOnThread } from '../../src-main/backend/model/score-stats';
import { createRng } from '../../src-main/core/data/rng';
import { evaluateLabels, sortedScores, summarizeScores } from '../../src-main/core/model/evaluate';

const workerScript = fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url));

/** The score summary worked out on a pooled thread is exactly the one worked out here. */
describe('score stats', () => {
  const n = 250_000;
  const rng = createRng(3);
  const scores = Float64Array.from({ length: n }, () => rng.next());
  // Labels known on most rows (NaN = unknown), more often positive at high scores.
  const labels = Float64Array.from(scores, (s, i) => (i % 17 === 0 ? NaN : s > 0.9 && i % 3 !== 0 ? 1 : 0));
  const allLabelled = Float64Array.from(scores, (s) => (s > 0.95 ? 1 : 0));

  it('gives the summary and label metrics of the scores, sharing one sort when every row is labelled', () => {
    const sorted = sortedScores(scores);
    expect(scoreStats(scores, allLabelled, 0.9)).toEqual({
      summary: summarizeScores(scores, sorted),
      evaluation: evaluateLabels(scores, 0.9, allLabelled, sorted),
    });
    const known = [...labels.keys()].filter((i) => !Number.isNaN(labels[i]!));
    expect(scoreStats(scores, labels, 0.9).evaluation).toEqual(
      evaluateLabels(
        Float64Array.from(known, (i) => scores[i]!),
        0.9,
        Float64Array.from(known, (i) => labels[i]!),
      ),
    );
    expect(scoreStats(scores, null, 0.9).evaluation).toBeNull();
  });

  it('on a pooled thread: the same result for the scores it was given; other scores, or a failed thread, are worked out here', async () => {
    const expected = scoreStats(scores, labels, 0.9);
    expect(await statsOnThread({ workerScript }, scores, labels, 0.9)(scores)).toEqual(expected);
    const other = scores.map((s) => 1 - s);
    expect(await statsOnThread({ workerScript }, scores, labels, 0.9)(other)).toEqual(scoreStats(other, labels, 0.9));
    expect(await statsOnThread({ workerScript: '/nonexistent/worker.js' }, scores, labels, 0.9)(scores)).toEqual(expected);
  }, 60_000);

  it('asked before the thread is up, the stats are worked out here (the thread then skips them); threadFree settles once the thread is done', async () => {
    const expected = scoreStats(scores, labels, 0.9);
    // Asked at once: the request is still on its way to the thread.
    const stats = statsOnThread({ workerScript }, scores, labels, 0.9);
    expect(await stats(scores)).toEqual(expected);
    await stats.threadFree;
    // No thread at all, or too few scores: free at once, worked out here.
    const none = statsOnThread(null, scores, labels, 0.9);
    await none.threadFree;
    expect(await none(scores)).toEqual(expected);
  }, 60_000);

  it('the work is claimed once: the pooled thread skips stats this thread has taken', () => {
    const request = { kind: 'score-stats' as const, scores, labels, threshold: 0.9, claim: new Int32Array(new SharedArrayBuffer(4)) };
    expect(claimedScoreStats(request)).toEqual(scoreStats(scores, labels, 0.9));
    expect(request.claim[0]).toBe(1);
    expect(claimedScoreStats(request)).toBeNull();
  });
});
