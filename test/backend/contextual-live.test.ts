import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { ContextualLive } from '../../src-main/backend/live/contextual-live';
import type { Reading } from '../../src-main/core/data/readings';
import { loadAnyArtifact } from '../../src-main/core/model/any-artifact';
import type { ContextualArtifact } from '../../src-main/core/model/contextual/serialize';
import { startTestWorker, tempDir } from '../helpers/backend';

const FEATURES = ['outdoor_temp_c', 'humidity_pct', 'occupancy', 'hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'];
const HOUR = 3_600_000;
let host: WorkerHost | null = null;
let artifact: ContextualArtifact;

beforeAll(async () => {
  const registry = join(tempDir('gl-ctx-live-'), 'registry');
  host = startTestWorker(registry);
  const ds = await host.call('data.simulate', { buildings: 2, days: 42, seed: 3, anomalyRate: 0 });
  await host.call('model.train', { datasetId: ds.id, algorithm: 'contextual' });
  const a = loadAnyArtifact(readFileSync(join(registry, 'models', 'energy-anomaly', 'versions', '1.0.0', 'model.json'), 'utf8'));
  if (a.kind !== 'contextual') throw new Error('expected a contextual artifact');
  artifact = a;
}, 300_000);
afterAll(async () => {
  await host?.close();
});

function hourly(building: string, hours: number, from = Date.UTC(2025, 2, 3)): Reading[] {
  return Array.from({ length: hours }, (_, h) => ({
    time: from + h * HOUR,
    buildingId: building,
    values: Float64Array.from([10 + (h % 7), 50 + (h % 11), h % 24 < 8 ? 2 : 40, 20 + (h % 5), 5 + (h % 2), 4 + (h % 3) / 3, 30 + (h % 5)]),
  }));
}

describe('the contextual detector’s per-building state on a stream', () => {
  it('keeps each building’s last 48 hours (trailing window + a day), however long the stream', () => {
    const live = new ContextualLive(artifact, FEATURES);
    const rows = hourly('B01', 500);
    for (let k = 0; k < rows.length; k += 10) live.score(rows.slice(k, k + 10));
    // windowHours 24 + a calendar day: readings newer than newest − 48 h.
    expect(live.keptReadings).toBe(48);
    expect(live.keptBuildings).toBe(1);
  });

  it('bounds readings per building and the number of buildings, forgetting the idlest building first', () => {
    const live = new ContextualLive(artifact, FEATURES, { maxRowsPerBuilding: 30, maxBuildings: 3 });
    for (const id of ['B01', 'B02', 'B03', 'B04']) live.score(hourly(id, 40));
    expect(live.keptBuildings).toBe(3);
    expect(live.keptReadings).toBe(90);
    // B01 was forgotten: a reading of B02 now makes B03 the idlest, and B01's return evicts it.
    live.score(hourly('B02', 1, Date.UTC(2025, 2, 5)));
    live.score(hourly('B01', 1, Date.UTC(2025, 2, 5)));
    expect(live.keptBuildings).toBe(3);
    expect(live.keptReadings).toBe(30 + 30 + 1);
  });

  it('scores the same readings the same whether they arrive in one batch or interleaved with another building', () => {
    const a = hourly('B01', 72);
    const b = hourly('B02', 72);
    const alone = new ContextualLive(artifact, FEATURES).score(a);
    const mixed = new ContextualLive(artifact, FEATURES);
    const got: number[] = [];
    for (let h = 0; h < 72; h += 6) {
      const batch = [...a.slice(h, h + 6), ...b.slice(h, h + 6)];
      const s = mixed.score(batch);
      got.push(...Array.from(s.scores.subarray(0, 6)));
    }
    // Batches of 6 see only their past; readings ending a batch score as the file does (the day so far is the same).
    const ends = [23, 47, 71];
    for (const h of ends) expect(got[h]).toBeCloseTo(alone.scores[h]!, 12);
    // No rule fires on these values (a rule would score exactly 2/3 in both and prove nothing).
    for (const h of ends) expect(alone.scores[h]).not.toBeCloseTo(2 / 3, 6);
    expect(got.length).toBe(72);
  });
});
