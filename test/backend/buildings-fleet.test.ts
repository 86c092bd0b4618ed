import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logPredictions } from '../../src-main/backend/prediction-sink';
import { fleet } from '../../src-main/backend/report/fleet';
import { predict, scoreSamples } from '../../src-main/core/model';
import { tempDir } from '../helpers/backend';
import { FEATURES, MODEL, buildFixture, columnsOf, sinkState } from './monitoring-fixture';

/** Rows of each building the fleet table's drift check keeps (report/fleet.ts). */
const KEPT = 20_000;

describe('buildings.fleet keeps each building’s newest readings for its drift', () => {
  it('judges the newest 20,000 of 25,000 readings: older drifted readings do not count, newer ones do', async () => {
    const dir = tempDir('gl-fleet-ring-');
    const fx = await buildFixture(dir, { buildings: 4, days: 84 });
    const state = sinkState(dir);
    mkdirSync(join(dir, 'predictions'), { recursive: true });
    writeFileSync(join(dir, 'predictions', 'buildings.json'), JSON.stringify({ buildings: ['old-shift', 'new-shift'] }) + '\n');
    const current = columnsOf(fx.baseline, fx.trainMask, 0);
    const n = current[FEATURES[0]!]!.length;
    // 25,000 readings drawn in turn from the held-out half (no drift), the first or last 5,000 shifted far off.
    const rows = KEPT + 5_000;
    const series = (shiftFrom: number, shiftTo: number) =>
      FEATURES.map((f) => Float64Array.from({ length: rows }, (_, i) => current[f]![i % n]! + (i >= shiftFrom && i < shiftTo ? 1_000 : 0)));
    let request = 0;
    for (const [slot, values] of [
      [1, series(0, 5_000)],
      [2, series(KEPT, rows)],
    ] as const) {
      const scores = scoreSamples(fx.model, values);
      await logPredictions(state, {
        model: MODEL,
        version: fx.version,
        features: FEATURES,
        requestId: `ring-${request++}`,
        time: Date.now(),
        latencyMs: 5,
        scores,
        flags: predict(fx.model, scores),
        values,
        rowTimes: Float64Array.from({ length: rows }, (_, i) => Date.UTC(2026, 0, 1) + i * 900_000),
        buildingSlots: new Uint16Array(rows).fill(slot),
      });
    }
    const r = await fleet({ model: MODEL }, state);
    const by = new Map(r.buildings.map((b) => [b.id, b]));
    expect(by.get('old-shift')!.readings).toBe(rows);
    expect(by.get('new-shift')!.readings).toBe(rows);
    expect(by.get('old-shift')!.driftedFeatures).toEqual([]);
    expect(by.get('new-shift')!.driftedFeatures.sort()).toEqual([...FEATURES].sort());
  }, 120_000);
});
