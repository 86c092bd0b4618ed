import { existsSync, mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { startTestWorker, tempDir } from '../helpers/backend';

/**
 * Feedback on flags through the worker: verdicts counted in Performance, used as
 * labels by train's includeFeedback, checked by registry verify, and carried by an
 * archive (with the alert files, but never the per-machine hooks).
 */
let host: WorkerHost;
let registry: string;
let datasetId = '';
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

beforeAll(async () => {
  const dir = tempDir('gl-feedback-');
  registry = join(dir, 'registry');
  host = startTestWorker(registry);
  // No label column: feedback is the only source of labels.
  const lines = ['building_id,timestamp,total_kw,hvac_kw'];
  for (const b of ['b1', 'b2']) {
    for (let h = 0; h < 24 * 14; h++) {
      const kw = 50 + 20 * Math.sin((2 * Math.PI * h) / 24) + (b === 'b2' ? 10 : 0) + ((h * 7919) % 13) / 3;
      lines.push(`${b},${new Date(T0 + h * HOUR).toISOString()},${kw.toFixed(3)},${(kw * 0.4).toFixed(3)}`);
    }
  }
  const csv = join(dir, 'readings.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
  datasetId = (await host.call('data.import', { path: csv })).id;
  await host.call('model.train', { algorithm: 'isolation-forest', datasetId, trees: 20 });
}, 60_000);

afterAll(async () => {
  await host.close();
});

describe('feedback through the worker', () => {
  it('marks readings; Performance counts the latest verdict per reading as the precision of the reviewed flags', async () => {
    await host.call('model.score', { datasetId });
    expect((await host.call('monitoring.performance', {})).feedback).toEqual({
      reviewed: 0,
      confirmed: 0,
      falseAlarms: 0,
      precision: null,
      byFaultType: {},
    });
    const key = (b: string, h: number) => ({ version: '1.0.0', building: b, dataTime: T0 + h * HOUR });
    await host.call('feedback.mark', {
      readings: [key('b1', 5), key('b2', 6)],
      verdict: 'fault',
      faultType: 'spike',
      note: 'seen on site',
    });
    const r = await host.call('feedback.mark', { readings: [key('b1', 7), key('b2', 6)], verdict: 'false_alarm' });
    expect(r).toEqual({ marked: 2, summary: { reviewed: 3, confirmed: 1, falseAlarms: 2, precision: 1 / 3, byFaultType: { spike: 1 } } });
    expect((await host.call('monitoring.performance', {})).feedback.precision).toBeCloseTo(1 / 3, 12);
  });

  it('a fault type with a false alarm is refused naming the field', async () => {
    await expect(
      host.call('feedback.mark', { readings: [{ version: '1.0.0', dataTime: 0 }], verdict: 'false_alarm', faultType: 'spike' }),
    ).rejects.toThrow('Invalid input for feedback.mark: field "faultType": a fault type goes with verdict "fault" only.');
  });

  it('train includeFeedback: the verdicts become the label (fault 1, false alarm 0); without it the data has none', async () => {
    const plain = await host.call('model.train', { algorithm: 'isolation-forest', datasetId, trees: 20 });
    expect(plain.params.label).toBeNull();
    const withFeedback = await host.call('model.train', {
      algorithm: 'isolation-forest',
      datasetId,
      trees: 20,
      includeFeedback: true,
      holdout: 0,
    });
    expect(withFeedback.params.label).toBe('feedback');
    // Metrics from labels appear only with the feedback: evaluated on the fitting rows (nothing held out).
    expect(plain.metrics.rocAuc ?? null).toBeNull();
    expect(withFeedback.metrics).toMatchObject({ evaluatedOn: 0, rocAuc: expect.any(Number), precision: expect.any(Number) });
  });

  it('registry verify names a damaged feedback line and a torn alert history', async () => {
    appendFileSync(join(registry, 'feedback.ndjson'), '{"model":"x"}\n');
    mkdirSync(join(registry, 'alerts'), { recursive: true });
    appendFileSync(join(registry, 'alerts', 'events.ndjson'), '{"type":"open"');
    const v = await host.call('registry.verify', {});
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual({
      file: join(registry, 'feedback.ndjson'),
      severity: 'error',
      message: 'line 5 is not a valid feedback record: {"model":"x"}',
    });
    expect(v.problems).toContainEqual({
      file: join(registry, 'alerts', 'events.ndjson'),
      severity: 'warning',
      message: 'the last line is incomplete (an append was interrupted); it is ignored and cut off by the next write',
    });
  });

  it('an archive carries alerts/ and feedback.ndjson, never alerts/hooks.json', async () => {
    writeFileSync(
      join(registry, 'alerts', 'hooks.json'),
      JSON.stringify({ formatVersion: 1, hooks: [{ type: 'command', command: 'touch', args: ['/tmp/x'] }] }),
    );
    await host.call('alerts.saveRules', { formatVersion: 1, rules: [{ id: 'h', kind: 'health', threshold: 2 }] });
    const archive = join(tempDir('gl-feedback-archive-'), 'reg.greenlens');
    await host.call('registry.export', { archive });
    const target = join(tempDir('gl-feedback-import-'), 'copy');
    await host.call('registry.import', { archive, target });
    expect(existsSync(join(target, 'feedback.ndjson'))).toBe(true);
    expect(existsSync(join(target, 'alerts', 'rules.json'))).toBe(true);
    expect(existsSync(join(target, 'alerts', 'events.ndjson'))).toBe(true);
    expect(existsSync(join(target, 'alerts', 'hooks.json'))).toBe(false);
    expect((await host.call('alerts.rules', {})).rules.map((r) => r.id)).toEqual(['h']);
  });
});
