import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { rejection, startTestWorker } from '../helpers/backend';

let host: WorkerHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

describe('backend worker', () => {
  it('answers a call and reports progress in order', async () => {
    host = startTestWorker();
    const seen: { phase: string; done: number; total: number }[] = [];
    const ds = await host.call(
      'data.simulate',
      { buildings: 20, days: 400 },
      { onProgress: (phase, done, total) => seen.push({ phase, done, total }) },
    );
    expect(ds.rows).toBe(20 * 400 * 24);
    // Simulating counts rows; preparing (and, with a registry, saving) the dataset follow as phases of their own.
    const simulating = seen.filter((s) => s.phase === 'simulating');
    expect(simulating.length).toBeGreaterThan(1);
    expect(seen[0]!.phase).toBe('simulating');
    for (let i = 1; i < simulating.length; i++) expect(simulating[i]!.done).toBeGreaterThanOrEqual(simulating[i - 1]!.done);
    expect(simulating.at(-1)).toEqual({ phase: 'simulating', done: ds.rows, total: ds.rows });
    expect(seen.findIndex((s) => s.phase !== 'simulating')).toBe(simulating.length);
  });

  it('rejects an unknown op, a missing field and a wrong type, naming the field', async () => {
    host = startTestWorker();
    const unknown = await rejection(host.call('data.nope', {}));
    expect(unknown.code).toBe('unknown_op');
    expect(unknown.message).toContain('data.nope');
    const missing = await rejection(host.call('data.get', {}));
    expect(missing.code).toBe('invalid_input');
    expect(missing.info.field).toBe('datasetId');
    expect(missing.message).toContain('"datasetId" is required');
    const wrongType = await rejection(host.call('data.simulate', { days: 'ten' }));
    expect(wrongType.info.field).toBe('days');
    expect(wrongType.message).toMatch(/"days" must be number/);
    const outOfRange = await rejection(host.call('data.simulate', { days: -3 }));
    expect(outOfRange.info.field).toBe('days');
  });

  it('cancels a long simulation promptly', async () => {
    host = startTestWorker();
    await host.call('app.ping', {});
    const started = Date.now();
    let firstProgressAt = 0;
    const job = host.call(
      'data.simulate',
      { buildings: 200, days: 3650 },
      {
        requestId: 'long-sim',
        onProgress: () => {
          if (!firstProgressAt) {
            firstProgressAt = Date.now();
            host!.cancel('long-sim');
          }
        },
      },
    );
    const error = await rejection(job);
    expect(error.code).toBe('cancelled');
    // 17.5 M rows would take many seconds; a cancel must land within a progress interval or two.
    expect(Date.now() - firstProgressAt).toBeLessThan(1000);
    expect(Date.now() - started).toBeLessThan(5000);
    const after = await host.call('app.ping', {});
    expect(after.pong).toBe(true);
  });

  it('rejects the pending call when the worker dies, and the next call works', async () => {
    host = startTestWorker();
    await host.call('app.ping', {});
    const spawnsBefore = host.spawnCount;
    const job = host.call(
      'data.simulate',
      { buildings: 200, days: 3650 },
      {
        onProgress: () => void host!.kill(),
      },
    );
    const error = await rejection(job);
    expect(error.code).toBe('worker_crashed');
    expect(error.message).toMatch(/interrupted/);
    const ds = await host.call('data.simulate', { buildings: 1, days: 1 });
    expect(ds.rows).toBe(24);
    expect(host.spawnCount).toBe(spawnsBefore + 1);
  });
});
