import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { startTestWorker, tempDir } from '../helpers/backend';

/**
 * `includeFeedback` with the contextual detector: a confirmed fault is left out
 * of the baseline fit, so the expected load returns to the true one; a false
 * alarm is an ordinary reading. Known effect: b1's HVAC runs 60 kW high on
 * Monday 10:00 in four of the six weeks (a version is fitted on all of them
 * after its holdout); the true load there is 80 kW.
 */
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1); // a Monday
const WEEKS = 6;
const TRUE_KW = 80;
const FAULT_KW = 60;
let host: WorkerHost;
let datasetId = '';

const hvac = (b: string, h: number): number => {
  const hod = h % 24;
  const dow = Math.floor(h / 24) % 7; // 0 = Monday
  const open = dow < 5 && hod >= 8 && hod < 18;
  // Mondays 10:00 sit apart from their neighbours so the slot has its own value.
  const base = dow === 0 && hod === 10 ? TRUE_KW : open ? 50 : 15;
  return base * (b === 'b2' ? 1.5 : 1) * (1 + 0.004 * Math.sin(h * 12.9898));
};
const faultHours = [0, 1, 2, 3].map((w) => w * 168 + 10);

beforeAll(async () => {
  const dir = tempDir('gl-ctx-feedback-');
  host = startTestWorker(join(dir, 'registry'));
  // A label column, so every training holds out its last 20 % (without one, nothing is held out).
  const lines = ['building_id,timestamp,hvac_kw,total_kw,is_anomaly'];
  for (const b of ['b1', 'b2']) {
    for (let h = 0; h < WEEKS * 168; h++) {
      const fault = b === 'b1' && faultHours.includes(h);
      const kw = hvac(b, h) + (fault ? FAULT_KW : 0);
      lines.push(`${b},${new Date(T0 + h * HOUR).toISOString()},${kw.toFixed(3)},${(kw + 20).toFixed(3)},${fault ? 1 : 0}`);
    }
  }
  const csv = join(dir, 'readings.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
  datasetId = (await host.call('data.import', { path: csv })).id;
}, 60_000);

afterAll(async () => {
  await host.close();
});

/** What version `version` expects of b1's HVAC on Monday 10:00 of the last week (a clean reading). */
async function expectedMonday(version: string): Promise<number> {
  const row = 5 * 168 + 10; // b1's rows come first, one per hour
  const e = await host.call('model.explain', { datasetId, version, row, topK: 5 });
  expect(e.id).toBe('b1');
  return e.contributions.find((c) => c.feature === 'hvac_kw')!.expected!;
}

describe('train includeFeedback with the contextual detector', () => {
  it('a confirmed fault left out of the fit brings the expected load back to the true one', async () => {
    const plain = await host.call('model.train', { algorithm: 'contextual', datasetId, holdout: 0.2 });
    expect(plain.params.algorithm).toBe('contextual');
    // Importance is stored with every contextual version (ARCHITECTURE §6b): shuffling a meter moves the score.
    expect(plain.metrics.permutationImportance_hvac_kw).toBeGreaterThan(0.01);
    expect(plain.metrics.importance_hvac_kw).toBeGreaterThanOrEqual(0);
    const before = await expectedMonday(plain.version);
    // Four of six fitted Mondays were faulty: the robust fit follows the majority.
    expect(before).toBeGreaterThan(TRUE_KW + FAULT_KW / 2);

    await host.call('feedback.mark', {
      readings: faultHours.map((h) => ({ version: plain.version, building: 'b1', dataTime: T0 + h * HOUR })),
      verdict: 'fault',
      faultType: 'hvac_fault',
    });
    const withFeedback = await host.call('model.train', { algorithm: 'contextual', datasetId, holdout: 0.2, includeFeedback: true });
    expect(withFeedback.metrics.feedbackReadings).toBe(4);
    expect(withFeedback.metrics.feedbackFaultsExcluded).toBe(4);
    expect(withFeedback.params.label).toBe('is_anomaly');
    const after = await expectedMonday(withFeedback.version);
    expect(Math.abs(after - TRUE_KW)).toBeLessThan(3);
  });

  it('a false alarm is kept in the fit: marking the faulty readings false alarms changes nothing in the baseline', async () => {
    const plain = await host.call('model.train', { algorithm: 'contextual', datasetId, holdout: 0.2 });
    await host.call('feedback.mark', {
      readings: faultHours.map((h) => ({ version: plain.version, building: 'b1', dataTime: T0 + h * HOUR })),
      verdict: 'false_alarm',
    });
    const kept = await host.call('model.train', { algorithm: 'contextual', datasetId, holdout: 0.2, includeFeedback: true });
    expect(kept.metrics.feedbackFaultsExcluded).toBe(0);
    expect(await expectedMonday(kept.version)).toBeCloseTo(await expectedMonday(plain.version), 6);
  });
});
