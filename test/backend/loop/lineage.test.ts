import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rejection, tempDir } from '../../helpers/backend';
import { loopBackend } from './loop-backend';

// Issue 12 item 1: every version records its lineage; a retrain recommendation is an action with a data-time window.
const DAY = 86_400_000;
const JAN6 = Date.parse('2025-01-06T00:00:00Z');
let b: ReturnType<typeof loopBackend>;
let baseId = '';
let heatId = '';

beforeAll(async () => {
  b = loopBackend(join(tempDir('gl-lineage-'), 'reg'));
  baseId = (await b.run('data.simulate', { buildings: 3, days: 20, seed: 1, keep: false })).id;
  heatId = (await b.run('data.simulate', { buildings: 3, days: 20, seed: 2, drift: 'heatwave', start: '2025-02-03', keep: false })).id;
});

describe('lineage and retrain actions', () => {
  it('a first manual training records no parent, trigger manual and the data span as its window', async () => {
    const r = await b.run('model.train', { datasetId: baseId, algorithm: 'isolation-forest', alias: 'production', trees: 30 });
    expect(r.versionMeta.lineage).toEqual({
      parent: null,
      trigger: 'manual',
      window: { fromMs: JAN6, toMs: JAN6 + 20 * DAY - 3_600_000 },
      reason: 'trained by hand',
    });
  });

  it('drifted logged readings turn the retrain recommendation into an action on their data-time window', async () => {
    await b.run('model.score', { datasetId: heatId });
    const h = await b.run('monitoring.health', {});
    // The same three buildings (a seed changes the weather, not the fleet): the heatwave drifts the outdoor temperature.
    expect(h.drift?.driftedFeatures).toContain('outdoor_temp_c');
    const feb3 = Date.parse('2025-02-03T00:00:00Z');
    expect(h.actions).toEqual([
      {
        type: 'retrain',
        label: 'Retrain on 3 Feb 2025 – 22 Feb 2025 readings',
        model: 'energy-anomaly',
        parent: '1.0.0',
        trigger: 'drift',
        fromMs: feb3,
        toMs: feb3 + 20 * DAY - 3_600_000,
        reason: expect.stringMatching(/^drift in .*outdoor_temp_c.* against version 1\.0\.0$/),
      },
    ]);
  });

  it('training from the action keeps only the window rows and records parent, trigger, window and reason', async () => {
    const h = await b.run('monitoring.health', {});
    const a = h.actions![0]!;
    const window = { fromMs: a.fromMs + 10 * DAY, toMs: a.toMs };
    const r = await b.run('model.train', {
      datasetId: heatId,
      algorithm: 'isolation-forest',
      trees: 30,
      window,
      lineage: { parent: a.parent, trigger: a.trigger, reason: a.reason },
    });
    expect(r.version).toBe('1.0.1');
    expect(r.versionMeta.lineage).toEqual({ parent: '1.0.0', trigger: 'drift', window, reason: a.reason });
    // 10 days minus the first hour's boundary: rows with fromMs ≤ t ≤ toMs, 3 buildings × 24 h × 10 days.
    expect(r.versionMeta.trainingData.rows + (r.metrics.holdoutRows ?? 0) + (r.metrics.droppedRows ?? 0)).toBe(3 * 24 * 10);
    const shown = await b.run('versions.show', { version: '1.0.1' });
    expect(shown.lineage?.parent).toBe('1.0.0');
  });

  it('a window with no readings is refused, naming the data span', async () => {
    const e = await rejection(
      b.run('model.train', { datasetId: heatId, window: { fromMs: Date.parse('2024-06-01'), toMs: Date.parse('2024-06-02') } }),
    );
    expect(e.message).toMatch(/^No reading of .* falls in 1 Jun 2024 – 2 Jun 2024 \(the data covers 3 Feb 2025 – 22 Feb 2025\)\.$/);
    expect(e.info.field).toBe('window');
  });
});
