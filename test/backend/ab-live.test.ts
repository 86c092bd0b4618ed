import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeCsvAtomic } from '../../src-main/backend/csv-file';
import { createJobContext } from '../../src-main/backend/job';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import type { LiveResultInfo } from '../../src-main/contract/ops/live';
import { cellText, getColumn, numericValues } from '../../src-main/core/data/table';
import { DEFAULT_START, SIM_FEATURES, simulate } from '../../src-main/core/data/simulator';
import { armOf } from '../../src-main/core/loop/ab';
import { startTestWorker, tempDir } from '../helpers/backend';

/**
 * A/B and shadow on the live scorer (`live.score`, the path of POST
 * /api/readings, MQTT streams and the app's live source): every reading is
 * decided by its arm, and both arms reach the log with their arm.
 */
let host: WorkerHost;
let root: string;
const model = 'energy-anomaly';

/** 12 buildings × 2 days of simulated readings as JSON payloads. */
function readings(): Record<string, unknown>[] {
  const t = simulate({ buildings: 12, days: 2, seed: 11, anomalyRate: 0.05, drift: 'none', start: DEFAULT_START });
  const ids = getColumn(t, 'building_id')!;
  const times = numericValues(getColumn(t, 'timestamp')!);
  const cols = SIM_FEATURES.map((f) => numericValues(getColumn(t, f)!));
  return Array.from({ length: t.rowCount }, (_, i) => ({
    timestamp: new Date(times[i]!).toISOString(),
    building_id: cellText(ids, i),
    ...Object.fromEntries(SIM_FEATURES.map((f, j) => [f, cols[j]![i]!])),
  }));
}

const results = async (alias: string, payload: Record<string, unknown>[]): Promise<LiveResultInfo[]> => {
  const r = await host.call('live.score', { readings: payload, alias });
  expect(r.rejected).toBe(0);
  return r.items as LiveResultInfo[];
};

beforeAll(async () => {
  root = tempDir('gl-ab-live-');
  host = startTestWorker(join(root, 'registry'));
  const ds = await host.call('data.simulate', { buildings: 4, days: 14, seed: 5, anomalyRate: 0.02 });
  await host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 30, contamination: 0.01 });
  await host.call('model.train', { algorithm: 'isolation-forest', datasetId: ds.id, trees: 30, contamination: 0.1 });
  // Four aliases: production (A/B), shadowed (shadow), and two without a run giving each version's own answers.
  for (const [version, alias] of [
    ['1.0.0', 'production'],
    ['1.0.0', 'shadowed'],
    ['1.0.0', 'plain'],
    ['1.0.1', 'canary'],
  ] as const)
    await host.call('versions.promote', { model, version, alias, reason: 'test' });
}, 300_000);

afterAll(async () => {
  await host?.close();
});

describe('A/B and shadow on live readings', () => {
  it('A/B: each reading is answered and logged by its building’s arm', async () => {
    const payload = readings();
    const champion = await results('plain', payload);
    const challenger = await results('canary', payload);
    const { run } = await host.call('ab.start', { model, alias: 'production', challenger: '1.0.1', share: 0.5, by: 'building' });
    const ab = await results('production', payload);
    let toChallenger = 0;
    payload.forEach((p, i) => {
      const arm = armOf(p.building_id as string, 0.5, run.salt);
      const want = arm === 'challenger' ? challenger[i]! : champion[i]!;
      if (arm === 'challenger') toChallenger++;
      expect(ab[i]).toEqual({ ...want, version: arm === 'challenger' ? '1.0.1' : '1.0.0' });
    });
    expect(toChallenger).toBeGreaterThan(0);
    expect(toChallenger).toBeLessThan(payload.length);

    const report = await host.call('ab.report', { model, alias: 'production' });
    const [c, x, s] = report.arms;
    expect([c!.readings, x!.readings, s!.readings]).toEqual([payload.length - toChallenger, toChallenger, 0]);
    expect(x!.flagged).toBe(ab.filter((r) => r.version === '1.0.1' && r.is_anomaly).length);
    expect(c!.flagged).toBe(ab.filter((r) => r.version === '1.0.0' && r.is_anomaly).length);
  }, 120_000);

  it('shadow: answers stay the champion’s, the shadow is logged beside them', async () => {
    const payload = readings();
    const champion = await results('plain', payload);
    await host.call('ab.shadow', { model, alias: 'shadowed', challenger: '1.0.1' });
    const shadowed = await results('shadowed', payload);
    expect(shadowed).toEqual(champion);
    const report = await host.call('ab.report', { model, alias: 'shadowed' });
    expect(report.arms.map((a) => a.readings)).toEqual([payload.length, 0, payload.length]);
    expect(report.shadow!.matched).toBe(payload.length);
    const challenger = await results('canary', payload);
    expect(report.arms[2]!.flagged).toBe(challenger.filter((r) => r.is_anomaly).length);
  }, 120_000);

  it('watch scores a new file on behalf of production: the A/B run started above splits it by building', async () => {
    const before = await host.call('ab.report', { model, alias: 'production' });
    const table = simulate({ buildings: 12, days: 3, seed: 21, anomalyRate: 0.03, drift: 'none', start: DEFAULT_START });
    const inbox = join(root, 'inbox');
    mkdirSync(inbox);
    await writeCsvAtomic(join(inbox, 'week.csv'), table, createJobContext({ jobId: 'w', op: 'w' }));
    await host.call('policy.set', { policy: { retrain: { onDrift: false } } });
    const r = await host.call('watch.run', { folder: inbox, settleMs: 0 });
    expect(r.processed.map((p) => p.rows)).toEqual([table.rowCount]);
    const ids = getColumn(table, 'building_id')!;
    let toChallenger = 0;
    for (let i = 0; i < table.rowCount; i++) if (armOf(cellText(ids, i), 0.5, before.run.salt) === 'challenger') toChallenger++;
    expect(toChallenger).toBeGreaterThan(0);
    const after = await host.call('ab.report', { model, alias: 'production' });
    expect(after.arms[1]!.readings - before.arms[1]!.readings).toBe(toChallenger);
    expect(after.arms[0]!.readings - before.arms[0]!.readings).toBe(table.rowCount - toChallenger);
  }, 120_000);

  it('promoting the challenger to the alias ends its run', async () => {
    const active = (await host.call('ab.list', { model })).runs.find((r) => r.alias === 'production' && r.stoppedAt === null);
    expect(active?.challenger).toBe('1.0.1');
    await host.call('versions.promote', { model, version: '1.0.1', alias: 'production', reason: 'won the A/B' });
    const runs = (await host.call('ab.list', { model })).runs.filter((r) => r.alias === 'production');
    expect(runs.map((r) => [r.id, r.stoppedAt !== null])).toEqual([[active!.id, true]]);
    // The shadow on another alias goes on.
    expect((await host.call('ab.list', { model })).runs.find((r) => r.alias === 'shadowed')?.stoppedAt).toBeNull();
  }, 60_000);
});
