import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import type { GreenLensEvent } from '../../src-main/contract';
import type { LiveStatusInfo } from '../../src-main/contract/shared/live';
import { PredictionLog } from '../../src-main/core/monitoring';
import { startTestWorker, tempDir } from '../helpers/backend';

/** A live source belongs to the registry it was started on: opening another one stops it, and it never logs there. */

let host: WorkerHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

async function logged(registry: string): Promise<number> {
  if (!existsSync(join(registry, 'predictions'))) return 0;
  const log = await PredictionLog.open(join(registry, 'predictions'));
  try {
    return log.count();
  } finally {
    await log.close();
  }
}

describe('a live source and a registry switch', () => {
  it('is stopped, with a status saying why, and logs nothing into the registry opened next', async () => {
    const dir = tempDir('gl-live-switch-');
    const first = join(dir, 'first');
    host = startTestWorker(first);
    const h = host;
    const statuses: LiveStatusInfo[] = [];
    h.on((e: GreenLensEvent) => {
      if (e.type === 'live') statuses.push(e.status);
    });
    const ds = await h.call('data.simulate', { buildings: 2, days: 14, seed: 2 });
    await h.call('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', trees: 20 });
    // An hour of readings per second: the replay would run for minutes.
    await h.call('live.start', { kind: 'replay', datasetId: ds.id, speed: 3600 });
    const until = Date.now() + 30_000;
    while (!(statuses.at(-1)?.scored ?? 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(statuses.at(-1)!.state).toBe('replaying');

    const second = join(dir, 'second');
    await h.call('registry.create', { path: second });
    const status = await h.call('live.status', {});
    expect(status.state).toBe('stopped');
    expect(status.message).toBe(
      `Stopped: ${second} was opened; a live source logs only into the registry it was started on (${first}). Start it again to score into this one.`,
    );
    expect(statuses.at(-1)).toMatchObject({ state: 'stopped', message: status.message });
    // What it scored before the switch is in the first registry, nothing in the second, and nothing follows.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await logged(first)).toBe(status.scored);
    expect(status.logged).toBe(status.scored);
    expect(await logged(second)).toBe(0);
    expect((await h.call('live.status', {})).scored).toBe(status.scored);
  }, 120_000);

  it('opening the registry it runs on again leaves it running', async () => {
    const dir = tempDir('gl-live-same-');
    const first = join(dir, 'first');
    host = startTestWorker(first);
    const h = host;
    const ds = await h.call('data.simulate', { buildings: 1, days: 14, seed: 2 });
    await h.call('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', trees: 20 });
    await h.call('live.start', { kind: 'replay', datasetId: ds.id, speed: 3600 });
    await h.call('registry.open', { path: first });
    expect((await h.call('live.status', {})).state).toBe('replaying');
    await h.call('live.stop', {});
  }, 120_000);
});
