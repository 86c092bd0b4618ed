import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { startTestWorker, tempDir } from '../helpers/backend';

/**
 * A contextual version is measured on its holdout, then fitted on every
 * reading. Known case: eight weeks whose last fifth is a warm spell the
 * earlier weeks never reached; the load follows the temperature exactly
 * (heating below 12 °C, cooling above 18 °C) on a weekly schedule, so a
 * baseline that saw the warm weeks expects them, and one fitted only on the
 * cold weeks (the old behaviour) flagged their cooling as over-consumption.
 */
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1); // a Monday
const HOURS = 8 * 168;
const WARM_FROM = Math.floor(HOURS * 0.8);
let host: WorkerHost;
let datasetId = '';

function temperature(h: number): number {
  const daily = Math.sin(((h % 24) - 9) * (Math.PI / 12));
  return h < WARM_FROM ? 6 + 5 * daily : 25 + 4 * daily;
}
function load(b: string, h: number): number {
  const hod = h % 24;
  const open = Math.floor(h / 24) % 7 < 5 && hod >= 8 && hod < 18;
  const t = temperature(h);
  const base = open ? 60 : 20;
  return (base + 2 * Math.max(12 - t, 0) + 3 * Math.max(t - 18, 0)) * (b === 'b2' ? 1.4 : 1) * (1 + 0.003 * Math.sin(h * 12.9898));
}

beforeAll(async () => {
  const dir = tempDir('gl-ctx-refit-');
  host = startTestWorker(join(dir, 'registry'));
  // A label column, so training holds out the last 20 % (without one nothing is held out).
  const lines = ['building_id,timestamp,outdoor_temp_c,total_kw,is_anomaly'];
  for (const b of ['b1', 'b2']) {
    for (let h = 0; h < HOURS; h++) {
      lines.push(`${b},${new Date(T0 + h * HOUR).toISOString()},${temperature(h).toFixed(2)},${load(b, h).toFixed(3)},0`);
    }
  }
  const csv = join(dir, 'readings.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
  datasetId = (await host.call('data.import', { path: csv })).id;
}, 60_000);

afterAll(async () => {
  await host.close();
});

describe('a contextual version after its holdout', () => {
  it('is fitted on every reading, so the held-out warm weeks are expected, not flagged', async () => {
    const trained = await host.call('model.train', { algorithm: 'contextual', datasetId, holdout: 0.2 });
    expect(trained.params.algorithm).toBe('contextual');
    // The figures are still the holdout's…
    expect(trained.metrics.evaluatedOn).toBe(1);
    expect(trained.metrics.holdoutRows).toBeGreaterThan(0.18 * 2 * HOURS);
    // …but the version learnt from all of it.
    expect(trained.metrics.refittedOnAll).toBe(1);
    expect(trained.versionMeta.trainingData.rows).toBe(2 * HOURS);
    // The warm weeks are a fifth of the readings: fitted without them, most of them were flagged.
    const scored = await host.call('model.score', { datasetId, version: trained.version, log: false });
    expect(scored.anomalyRate).toBeLessThan(0.01);
  });
});
