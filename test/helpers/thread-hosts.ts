import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { WorkerHost } from '../../src-main/backend/host/worker-host';
import { DEFAULT_SETTINGS } from '../../src-main/contract/settings';
import { tempDir } from './backend';

/**
 * Two backends on registries of their own, one with the scoring threads and one without, each holding the same
 * simulated dataset: for tests that a training on two threads registers what one thread does. Registers the
 * suite's beforeAll (simulating, checking the row count) and afterAll (closing both).
 */
export interface ThreadHosts {
  twoThreads: WorkerHost;
  oneThread: WorkerHost;
  /** The simulated dataset's id in each registry. */
  ids: { two: string; one: string };
  modelFile(name: 'two' | 'one', version: string): string;
}

/** What model.train answers, as far as these tests read it. */
export interface Trained {
  version: string;
  metrics: Record<string, number | null>;
}

export function threadHosts(
  prefix: string,
  simulate: { buildings: number; days: number; seed: number },
  rows: number,
  timeoutMs: number,
): ThreadHosts {
  const dir = tempDir(prefix);
  const script = fileURLToPath(new URL('../../src-main/backend/worker-dev.mjs', import.meta.url));
  const scoreWorkerScript = fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url));
  const host = (name: string, threads: boolean): WorkerHost =>
    new WorkerHost({
      script,
      ...(threads ? { scoreWorkerScript } : {}),
      settings: DEFAULT_SETTINGS,
      registryPath: join(dir, name),
      tempDir: join(dir, `${name}-tmp`),
      progressThrottleMs: 0,
    });
  const hosts: ThreadHosts = {
    twoThreads: host('two', true),
    oneThread: host('one', false),
    ids: { two: '', one: '' },
    modelFile: (name, version) => join(dir, name, 'models', 'energy-anomaly', 'versions', version, 'model.json'),
  };
  beforeAll(async () => {
    for (const [name, h] of [
      ['two', hosts.twoThreads],
      ['one', hosts.oneThread],
    ] as const) {
      const ds = (await h.call('data.simulate', simulate)) as { id: string; rows: number };
      expect(ds.rows).toBe(rows);
      hosts.ids[name] = ds.id;
    }
  }, timeoutMs);
  afterAll(async () => {
    await hosts.twoThreads.close();
    await hosts.oneThread.close();
  });
  return hosts;
}
