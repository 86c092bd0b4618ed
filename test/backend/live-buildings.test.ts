import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import type { GreenLensEvent } from '../../src-main/contract';
import { startTestWorker, tempDir } from '../helpers/backend';

/** Live readings are logged with their building, as file scoring logs them, so the fleet table and building views see them. */

let host: WorkerHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

const values = {
  outdoor_temp_c: 21.5,
  humidity_pct: 40,
  occupancy: 120,
  hvac_kw: 35.2,
  lighting_kw: 8.1,
  plug_load_kw: 6.4,
  total_kw: 49.7,
};

describe('live readings carry their building into the prediction log', () => {
  it('pushed readings (POST /api/readings, live.score) and a replayed dataset count under their buildings in the fleet table', async () => {
    host = startTestWorker(join(tempDir('gl-live-bld-'), 'registry'));
    const h = host;
    const ds = await h.call('data.simulate', { buildings: 2, days: 7, seed: 4 });
    await h.call('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', trees: 20 });

    const t = Date.UTC(2026, 10, 30, 12);
    const pushed = await h.call('live.score', {
      readings: [
        { ...values, timestamp: new Date(t).toISOString(), building_id: 'HQ' },
        { ...values, timestamp: new Date(t + 3_600_000).toISOString(), building_id: 'HQ' },
        { ...values, timestamp: new Date(t).toISOString(), building_id: 'Depot' },
        { ...values, timestamp: new Date(t).toISOString() },
      ],
    });
    expect(pushed.logged).toBe(4);
    const fleet = await h.call('buildings.fleet', {});
    expect(fleet.buildings.map((b) => [b.id, b.readings]).sort()).toEqual([
      ['Depot', 1],
      ['HQ', 2],
    ]);
    expect(fleet.unknownReadings).toBe(1);

    let finished = false;
    h.on((e: GreenLensEvent) => {
      if (e.type === 'live' && e.status.state === 'finished') finished = true;
    });
    await h.call('live.start', { kind: 'replay', datasetId: ds.id, speed: 0 });
    const until = Date.now() + 60_000;
    while (!finished && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(finished).toBe(true);
    const after = await h.call('buildings.fleet', {});
    // The simulated dataset's two buildings, 7 days of hourly readings each, besides the pushed ones.
    const replayed = after.buildings.filter((b) => b.id !== 'HQ' && b.id !== 'Depot');
    expect(replayed.map((b) => b.readings)).toEqual([168, 168]);
    expect(after.unknownReadings).toBe(1);
  }, 120_000);
});
