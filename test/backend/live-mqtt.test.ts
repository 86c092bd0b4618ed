import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import type { GreenLensEvent } from '../../src-main/contract';
import type { LiveStatusInfo } from '../../src-main/contract/shared/live';
import { CLOSE_WAIT_MS, connectMqtt } from '../../src-main/backend/live/mqtt-source';
import { rejection, startTestWorker, tempDir } from '../helpers/backend';
import { Broker, connect, end, hasMosquitto, publishAcked, sleep } from '../helpers/mosquitto';

let host: WorkerHost | null = null;
let broker: Broker | null = null;
afterAll(async () => {
  await host?.close();
  await broker?.stop();
});

const READING = { outdoor_temp_c: 12, humidity_pct: 50, occupancy: 20, hvac_kw: 22, lighting_kw: 6, plug_load_kw: 4.5, total_kw: 33 };

describe.skipIf(!hasMosquitto)('the app’s live MQTT source, against a real mosquitto', () => {
  it('connects, scores and logs readings, counts malformed payloads, publishes results, shows reconnecting across a broker restart', async () => {
    const dir = tempDir('gl-live-mqtt-');
    broker = await Broker.start(join(dir, 'broker'));
    host = startTestWorker(join(dir, 'registry'));
    const h = host;
    const ds = await h.call('data.simulate', { buildings: 2, days: 14, seed: 4, anomalyRate: 0.02 });
    await h.call('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', trees: 30 });
    let latest: LiveStatusInfo | null = null;
    const states: string[] = [];
    h.on((e: GreenLensEvent) => {
      if (e.type !== 'live') return;
      latest = e.status;
      if (states.at(-1) !== e.status.state) states.push(e.status.state);
    });
    const waitFor = async (check: (s: LiveStatusInfo) => boolean, what: string): Promise<LiveStatusInfo> => {
      const until = Date.now() + 60_000;
      while (!(latest && check(latest))) {
        if (Date.now() > until) throw new Error(`timed out: ${what} (last ${JSON.stringify(latest)})`);
        await sleep(50);
      }
      return latest;
    };

    const bad = await rejection(h.call('live.start', { kind: 'mqtt', url: 'http://x:1', topic: 'a' }));
    expect(bad.message).toContain('must be mqtt://HOST:PORT or mqtts://HOST:PORT');

    const results: unknown[] = [];
    const sub = await connect(broker.url, { clientId: 'live-results', clean: true });
    sub.on('message', (_t, p) => results.push(JSON.parse(p.toString())));
    await new Promise<void>((r, j) => sub.subscribe('results/app', { qos: 1 }, (e) => (e ? j(e) : r())));

    const started = await h.call('live.start', {
      kind: 'mqtt',
      url: broker.url,
      topic: 'site/+/readings',
      idLevel: 1,
      resultsTopic: 'results/app',
    });
    expect(started).toMatchObject({ state: 'connecting', source: { kind: 'mqtt', url: broker.url, topic: 'site/+/readings' } });
    await waitFor((x) => x.state === 'connected', 'connected');

    const pub = await connect(broker.url, { clientId: 'live-pub', clean: true, reconnectPeriod: 100 });
    for (let i = 0; i < 20; i++) await publishAcked(pub, `site/B0${1 + (i % 2)}/readings`, JSON.stringify({ ...READING, occupancy: i }));
    await publishAcked(pub, 'site/B01/readings', 'not json');
    await publishAcked(pub, 'site/B01/readings', JSON.stringify({ total_kw: 1 }));
    const s = await waitFor((x) => x.scored === 20 && x.malformed === 2, '20 scored, 2 malformed');
    expect(s).toMatchObject({ state: 'connected', model: 'energy-anomaly', version: '1.0.0' });
    expect(s.window.readings).toBe(20);
    expect(s.message).toMatch(/malformed payload on site\/B01\/readings skipped/);
    while (results.length < 20) await sleep(50);
    expect(results[0]).toMatchObject({ building_id: 'B01', model: 'energy-anomaly', version: '1.0.0', is_anomaly: expect.any(Boolean) });

    await broker.stop();
    await waitFor((x) => x.state === 'reconnecting', 'reconnecting');
    await sleep(300);
    await broker.restart(0);
    await waitFor((x) => x.state === 'connected', 'connected again');
    await publishAcked(pub, 'site/B02/readings', JSON.stringify(READING));
    await waitFor((x) => x.scored === 21, 'a reading after the restart scored');

    const stopped = await h.call('live.stop', {});
    expect(stopped).toMatchObject({ state: 'stopped', scored: 21, logged: 21 });
    expect(states).toEqual(['connected', 'reconnecting', 'connected', 'stopped']);

    // No broker there: the call answers at once, the source keeps trying, and Stop ends it.
    const nowhere = await h.call('live.start', { kind: 'mqtt', url: 'mqtt://127.0.0.1:1', topic: 'site/+/readings' });
    expect(nowhere.state).toBe('connecting');
    await waitFor((x) => /cannot connect to mqtt:\/\/127\.0\.0\.1:1 yet/.test(x.message ?? ''), 'a connect failure reported');
    expect(await h.call('live.stop', {})).toMatchObject({ state: 'stopped', scored: 0 });
    expect((await h.call('monitoring.health', {})).loggedPredictions).toBe(21);
    await end(pub);
    await end(sub);
  }, 180_000);
});

describe.skipIf(!hasMosquitto)('closing an MQTT source', () => {
  it('stops waiting for a PUBACK that cannot come (broker gone) after 5 s, so SIGTERM never hangs', async () => {
    const b = await Broker.start(join(tempDir('gl-mqtt-close-'), 'broker'));
    const source = await connectMqtt({ url: b.url, clientId: 'close-test', persistent: false, onStatus: () => undefined });
    await b.stop();
    expect(source.publish('results', '{}')).toBe(true);
    const t0 = performance.now();
    expect(await source.close()).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(CLOSE_WAIT_MS - 50);
    expect(performance.now() - t0).toBeLessThan(CLOSE_WAIT_MS + 2_000);
  }, 30_000);
});
