import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/backend';
import { replayYear } from './replay';

// Issue 12's replay, small: monthly files after a winter-trained production model (the default, contextual, detector),
// one watch pass per file, with the minimal policy and with retraining off (bench/watch-replay.bench.ts runs
// the year with 100 buildings and prints both runs side by side).
describe('replay: monthly files after a winter model', () => {
  it('watch retrains on the spring drift, evaluates on held-out days, the policy promotes, neither run reads the new season as faults, and the months after the promotion stay in the band', async () => {
    const root = tempDir('gl-replay-test-');
    const months = [3, 4, 5, 6];
    const minimal = { retrain: { onDrift: true }, promote: { auto: true } };
    const loop = await replayYear(join(root, 'loop'), { buildings: 6, seed: 31, policy: minimal, months });
    const off = await replayYear(join(root, 'off'), { buildings: 6, seed: 31, policy: { retrain: { onDrift: false } }, months });
    // Without retraining the winter model scores every month and nothing is trained or promoted.
    expect(off.every((m) => m.production === '1.0.0' && m.actions.length === 0)).toBe(true);
    // Six buildings warm enough by March for the drift to show in the first file.
    const firstDrift = loop.findIndex((m) => m.datasetDrift);
    expect(loop[firstDrift]?.month).toBe(3);
    // Every challenger is evaluated right after it is trained; a promotion names the version it trained.
    for (const m of loop) {
      const types = m.actions.map((a) => a.type);
      if (types.length) expect(types.slice(0, 2)).toEqual(['retrain', 'evaluate']);
      if (types[2] === 'promote') expect(m.actions[2]!.version).toBe(m.actions[0]!.version);
    }
    // Production was trained as `greenlens train --data winter.csv` trains (the file not kept): every retrain still learns
    // January–February from that file, recorded in 1.0.0's trainingData.file (ARCHITECTURE §4a).
    for (const m of loop) if (m.actions[0]) expect(m.actions[0].reason).toMatch(/ watched file\(s\) and file winter\.csv$/);
    const promoted = loop.findIndex((m) => m.actions.some((a) => a.type === 'promote'));
    // March's challenger (a month of history) flags far more than the band on its held-out week: it stays a candidate; April's is promoted.
    expect(loop[0]!.actions.map((a) => a.type)).toEqual(['retrain', 'evaluate', 'keep']);
    expect(loop[0]!.actions[2]!.reason).toMatch(/^stays a candidate: Anomaly rate: challenger .* is outside 0\.5%–1\.5%/);
    expect(loop[promoted]?.month).toBe(4);
    // Until the first promotion both runs are scored by the same model: the same rates.
    expect(loop.slice(0, promoted + 1).map((m) => m.anomalyRate)).toEqual(off.slice(0, promoted + 1).map((m) => m.anomalyRate));
    // From the next month on the promoted version is production.
    expect(loop[promoted + 1]!.production).toBe(loop[promoted]!.actions[0]!.version);
    // The winter model meets May and June, 10–15 °C warmer than anything it was trained on. It no longer reads their
    // cooling load as faults (in the 100-building bench it flagged 23–60 % of May–August before the detector widened its
    // expected load beyond the training temperatures): it stays under the band's top, 1.5 %. (Six buildings hold a few
    // dozen labelled fault hours a month, too few to hold the band's bottom too.) The promoted versions, which learnt
    // both winter (from winter.csv) and spring, keep every following month inside the band, 1 % ± 50 %.
    for (const i of [2, 3]) expect(off[i]!.anomalyRate).toBeLessThanOrEqual(0.015);
    for (let i = promoted + 1; i < loop.length; i++) {
      expect(loop[i]!.anomalyRate).toBeGreaterThanOrEqual(0.005);
      expect(loop[i]!.anomalyRate).toBeLessThanOrEqual(0.015);
    }
  }, 240_000);
});
