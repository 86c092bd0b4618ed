import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { startTestWorker, tempDir } from '../helpers/backend';
import { writeFileSync } from 'node:fs';

let host: WorkerHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

const HOUR = 3_600_000;

/**
 * Two offices with a known weekly shape: "long" has 40 days of readings, "short" 10, so only "long"
 * gets its own baseline. Both draw total_kw = 10 on weekdays 8:00–18:00 and 4 otherwise; "long" has one 40 kW reading.
 */
function csv(dir: string): { path: string; spikeRow: number } {
  const lines = ['timestamp,building_id,outdoor_temp_c,total_kw'];
  const start = Date.UTC(2026, 0, 5);
  let spikeRow = -1;
  for (let h = 0; h < 40 * 24; h++) {
    const t = new Date(start + h * HOUR).toISOString();
    const hour = h % 24;
    const temp = (5 + 5 * Math.sin((2 * Math.PI * hour) / 24)).toFixed(2);
    const weekday = new Date(start + h * HOUR).getUTCDay();
    const base = weekday !== 0 && weekday !== 6 && hour >= 8 && hour < 18 ? 10 : 4;
    // A little noise so the robust spread is not zero.
    const noise = (((h * 7919) % 13) - 6) / 60;
    const spike = h === 30 * 24 + 14;
    if (spike) spikeRow = lines.length - 1;
    lines.push(`${t},long,${temp},${(spike ? 40 : base + noise).toFixed(3)}`);
    if (h < 10 * 24) lines.push(`${t},short,${temp},${(base + noise).toFixed(3)}`);
  }
  const path = join(dir, 'two-buildings.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, spikeRow };
}

describe('what the Models and Data tabs read from a contextual version', () => {
  it('marks the building on the fleet baseline, and an explanation names the member and meter that drove the flag', async () => {
    const dir = tempDir('gl-ctx-views-');
    host = startTestWorker(join(dir, 'registry'));
    const { path, spikeRow } = csv(dir);
    const ds = await host.call('data.import', { path });
    const r = await host.call('model.train', { datasetId: ds.id, holdout: 0 });
    expect(r.params.algorithm).toBe('contextual');
    expect(r.metrics).toMatchObject({ buildings: 2, fleetBuildings: 1, building_long_fleet: 0, building_short_fleet: 1 });
    expect(r.warnings).toEqual(['short: 240 readings, less than 672 h of history: uses the fleet baseline.']);

    const e = await host.call('model.explain', { datasetId: ds.id, row: spikeRow });
    expect(e.id).toBe('long');
    expect(e.flagged).toBe(true);
    expect(e.member).toBe('residual');
    expect(e.driverFeature).toBe('total_kw');
    expect(e.cause).toMatch(/^total_kw \d+(\.\d+)?× expected for 14:00 Wednesday at \d+ °C$/);
  });
});
