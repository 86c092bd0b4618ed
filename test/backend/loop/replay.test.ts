import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/backend';
import { replayYear } from './replay';

// Issue 12's replay, small: monthly files after a winter-trained production model, one watch pass per file,
// with the policy and with retraining off (bench/watch-replay.bench.ts runs the year with 100 buildings).
describe('replay: monthly files after a winter model', () => {
  it('watch finds the seasonal drift in the month it starts, retrains, evaluates, and the policy promotes; with retraining off nothing changes', async () => {
    const root = tempDir('gl-replay-test-');
    const months = [3, 4, 5, 6];
    // The rules that judge model quality pass here, so the test is about the loop, not one month's F1 noise.
    const policy = { retrain: { onDrift: true }, promote: { auto: true, rules: { f1MaxDrop: 1, aucMaxDrop: 1, anomalyRateBand: 10 } } };
    const loop = await replayYear(join(root, 'loop'), { buildings: 6, seed: 31, policy, months });
    const off = await replayYear(join(root, 'off'), { buildings: 6, seed: 31, policy: { retrain: { onDrift: false } }, months });
    const first = loop.findIndex((m) => m.datasetDrift);
    expect(first).toBeGreaterThanOrEqual(0);
    // The drift month itself: retrain, evaluate, promote of one new version, in that order.
    const acts = loop[first]!.actions;
    expect(acts.map((a) => a.type)).toEqual(['retrain', 'evaluate', 'promote']);
    expect(new Set(acts.map((a) => a.version)).size).toBe(1);
    // From the next month on, the promoted version is production and scores the new files.
    if (first + 1 < loop.length) expect(loop[first + 1]!.production).toBe(acts[0]!.version);
    // Without retraining the winter model scores every month and nothing is trained or promoted.
    expect(off.every((m) => m.production === '1.0.0' && m.actions.length === 0)).toBe(true);
    expect(loop.slice(0, first + 1).map((m) => m.anomalyRate)).toEqual(off.slice(0, first + 1).map((m) => m.anomalyRate));
  }, 600_000);
});
