import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scoreStats, statsOnThread } from '../../src-main/backend/model/score-stats';
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

  it('asks the pooled thread only once `after` settles (until then it formats the output), whichever way it settles', async () => {
    const expected = scoreStats(scores, labels, 0.9);
    // A warm pooled thread first, so that a request sent at once would be answered well within the wait below.
    expect(await statsOnThread({ workerScript }, scores, labels, 0.9)(scores)).toEqual(expected);
    let free: () => void = () => undefined;
    const after = new Promise<void>((resolve) => (free = resolve));
    const got = statsOnThread({ workerScript }, scores, labels, 0.9, after)(scores);
    const early = await Promise.race([got.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 1500))]);
    expect(early).toBe('waiting');
    free();
    expect(await got).toEqual(expected);
    // A failed output job frees the thread too.
    expect(await statsOnThread({ workerScript }, scores, labels, 0.9, Promise.reject(new Error('formatting failed')))(scores)).toEqual(
      expected,
    );
  }, 60_000);
});
