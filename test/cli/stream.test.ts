import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PredictionLog } from '../../src-main/core/monitoring';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';
import { Broker, connect, end, hasMosquitto, publishAcked, sleep } from '../helpers/mosquitto';
import { StreamProcess } from '../helpers/stream-process';

const FEATURES = ['outdoor_temp_c', 'humidity_pct', 'occupancy', 'hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'];

interface Row {
  timestamp: string;
  building_id: string;
  values: Record<string, number>;
  score: number;
}

let dir = '';
let registry = '';
let rows: Row[] = [];
const brokers: Broker[] = [];
const streams: StreamProcess[] = [];

/** Logged feature values of every reading in a registry's prediction log. */
async function loggedColumn(reg: string, feature: string): Promise<number[]> {
  const log = await PredictionLog.open(join(reg, 'predictions'));
  try {
    const cols = await log.readRange(-Infinity, Infinity, { columns: [feature] });
    return Array.from(cols.features[feature]!);
  } finally {
    await log.close();
  }
}

function reading(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const r = rows[i % rows.length]!;
  return { ...r.values, ...extra };
}

async function collect(url: string, topic: string): Promise<{ client: MqttClient; messages: unknown[] }> {
  const client = await connect(url, { clientId: `results-${Math.random().toString(36).slice(2)}`, clean: true });
  const messages: unknown[] = [];
  client.on('message', (_t, payload) => messages.push(JSON.parse(payload.toString())));
  await new Promise<void>((r, j) => client.subscribe(topic, { qos: 1 }, (e) => (e ? j(e) : r())));
  return { client, messages };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(100);
  }
}

describe.skipIf(!hasMosquitto)('greenlens stream against a real mosquitto', () => {
  beforeAll(() => {
    dir = tempDir('gl-stream-');
    const csv = join(dir, 'sim.csv');
    expect(runCli(['simulate', '--out', csv, '--buildings', '2', '--days', '10', '--seed', '9', '--anomaly-rate', '0.03']).code).toBe(0);
    registry = join(dir, 'registry');
    expect(
      runCli([
        'train',
        '--algorithm',
        'isolation-forest',
        '--registry',
        registry,
        '--data',
        csv,
        '--trees',
        '40',
        '--contamination',
        '0.03',
      ]).code,
    ).toBe(0);
    const scored = join(dir, 'scored.csv');
    expect(runCli(['score', '--registry', registry, '--data', csv, '--out', scored, '--no-log']).code).toBe(0);
    const lines = readFileSync(scored, 'utf8').trimEnd().split('\n');
    const header = lines[0]!.split(',');
    rows = lines.slice(1).map((line) => {
      const cells = line.split(',');
      const get = (name: string): string => cells[header.indexOf(name)]!;
      return {
        timestamp: get('timestamp'),
        building_id: get('building_id'),
        values: Object.fromEntries(FEATURES.map((f) => [f, Number(get(f))])),
        score: Number(get('anomaly_score')),
      };
    });
  }, 300_000);

  afterAll(async () => {
    for (const s of streams) s.kill();
    for (const b of brokers) await b.stop();
  });

  it('scores readings as `score` does, takes the building from the topic, publishes results, skips malformed payloads, drains on SIGTERM', async () => {
    const broker = await Broker.start(join(dir, 'broker-1'));
    brokers.push(broker);
    const reg = join(dir, 'reg-1');
    cpSync(registry, reg, { recursive: true });
    const results = await collect(broker.url, 'results/#');
    const stream = new StreamProcess([
      '--registry',
      reg,
      '--mqtt',
      broker.url,
      '--topic',
      'site/+/readings',
      '--id-level',
      '1',
      '--results-topic',
      'results/all',
      '--json',
    ]);
    streams.push(stream);
    await stream.waitFor(/subscribed to site\/\+\/readings/);

    const pub = await connect(broker.url, { clientId: 'pub-1', clean: true });
    const [a, b] = [rows[0]!, rows[1]!];
    // Same building as b: the topic level gives both readings of the array b's building.
    const c = rows.find((r, i) => i > 1 && r.building_id === b.building_id)!;
    // One object with an ISO time, an array with epoch seconds and epoch ms, then two broken payloads.
    await publishAcked(pub, `site/${a.building_id}/readings`, JSON.stringify({ ...a.values, timestamp: a.timestamp }));
    await publishAcked(
      pub,
      `site/${b.building_id}/readings`,
      JSON.stringify([
        { ...b.values, timestamp: Date.parse(b.timestamp) / 1000 },
        { ...c.values, timestamp: Date.parse(c.timestamp), building_id: 'ignored-topic-wins' },
      ]),
    );
    await publishAcked(pub, 'site/B09/readings', '{"total_kw": 12, oops');
    await publishAcked(pub, 'site/B09/readings', JSON.stringify({ total_kw: 3 }));
    await end(pub);
    await until(() => results.messages.length >= 2, 30_000, 'results published');

    expect(await stream.stop()).toBe(0);
    await end(results.client);
    const [first, second] = results.messages as [Record<string, unknown>, Record<string, unknown>[]];
    expect(first).toEqual({
      timestamp: new Date(a.timestamp).toISOString(),
      building_id: a.building_id,
      anomaly_score: expect.closeTo(a.score, 4),
      is_anomaly: expect.any(Boolean),
      model: 'energy-anomaly',
      version: '1.0.0',
    });
    expect(second.map((r) => [r.timestamp, r.building_id])).toEqual([
      [new Date(b.timestamp).toISOString(), b.building_id],
      [new Date(c.timestamp).toISOString(), c.building_id],
    ]);
    expect((second[0]!.anomaly_score as number).toFixed(4)).toBe(b.score.toFixed(4));
    expect((second[1]!.anomaly_score as number).toFixed(4)).toBe(c.score.toFixed(4));

    expect(stream.stderr).toMatch(/malformed payload on site\/B09\/readings skipped: not JSON/);
    expect(stream.stderr).toMatch(/malformed payload on site\/B09\/readings skipped: "outdoor_temp_c" is missing/);
    const summary = JSON.parse(stream.stdout);
    expect(summary).toMatchObject({ payloads: 4, scored: 3, malformedPayloads: 2, logged: 3, published: 3, logFailures: 0 });
    // The log keeps feature values as float32.
    expect(await loggedColumn(reg, 'total_kw')).toEqual([a, b, c].map((r) => Math.fround(r.values.total_kw!)));
  }, 180_000);

  it('loses no acknowledged reading when the broker restarts mid-stream (QoS 1, persistent session, reconnect)', async () => {
    const broker = await Broker.start(join(dir, 'broker-2'));
    brokers.push(broker);
    const reg = join(dir, 'reg-2');
    cpSync(registry, reg, { recursive: true });
    const stream = new StreamProcess(['--registry', reg, '--mqtt', broker.url, '--topic', 'site/+/readings', '--id-level', '1']);
    streams.push(stream);
    await stream.waitFor(/subscribed/);

    const pub = await connect(broker.url, { clientId: 'pub-2', clean: false, reconnectPeriod: 100 });
    const acked = new Set<number>();
    const total = 1500;
    let restart: Promise<void> | null = null;
    const inFlight: Promise<void>[] = [];
    for (let seq = 0; seq < total; seq++) {
      // occupancy carries the sequence number, so the log shows exactly which readings arrived.
      const payload = JSON.stringify(reading(seq, { occupancy: seq }));
      inFlight.push(
        publishAcked(pub, `site/B0${1 + (seq % 2)}/readings`, payload).then(
          () => void acked.add(seq),
          () => undefined,
        ),
      );
      if (seq === 500) restart = broker.restart(500);
      if (inFlight.length >= 50) await Promise.all(inFlight.splice(0));
    }
    await Promise.all(inFlight);
    await restart;
    await end(pub);
    expect(acked.size).toBeGreaterThan(0);
    await until(
      async () => (await loggedColumn(reg, 'occupancy')).filter((v) => acked.has(v)).length >= acked.size,
      90_000,
      'acked readings logged',
    ).catch(() => undefined);
    expect(await stream.stop()).toBe(0);
    const logged = new Set(await loggedColumn(reg, 'occupancy'));
    const lost = [...acked].filter((s) => !logged.has(s));
    expect(lost).toEqual([]);
    expect(broker.log).not.toMatch(/Error saving/);
    expect(stream.stderr).toMatch(/connection to .* lost; reconnecting/);
    expect(stream.stderr).toMatch(/reconnected to /);
  }, 240_000);

  it('splits a topic between two workers with --group, and merge-log folds their logs into one registry once', async () => {
    const broker = await Broker.start(join(dir, 'broker-3'));
    brokers.push(broker);
    const regA = join(dir, 'reg-3a');
    const regB = join(dir, 'reg-3b');
    cpSync(registry, regA, { recursive: true });
    cpSync(registry, regB, { recursive: true });
    const workers = [regA, regB].map(
      (reg) =>
        new StreamProcess(['--registry', reg, '--mqtt', broker.url, '--topic', 'site/+/readings', '--group', 'scorers', '--id-level', '1']),
    );
    streams.push(...workers);
    await Promise.all(workers.map((w) => w.waitFor(/subscribed to \$share\/scorers\/site\/\+\/readings/)));

    const pub = await connect(broker.url, { clientId: 'pub-3', clean: true });
    const total = 1000;
    for (let seq = 0; seq < total; seq += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) =>
          publishAcked(pub, `site/B0${1 + ((seq + k) % 2)}/readings`, JSON.stringify(reading(seq + k, { occupancy: seq + k }))),
        ),
      );
    }
    await end(pub);
    const both = async (): Promise<number[]> => [...(await loggedColumn(regA, 'occupancy')), ...(await loggedColumn(regB, 'occupancy'))];
    await until(async () => (await both()).length >= total, 90_000, 'all readings logged by the two workers');
    expect(await Promise.all(workers.map((w) => w.stop()))).toEqual([0, 0]);
    const a = await loggedColumn(regA, 'occupancy');
    const b = await loggedColumn(regB, 'occupancy');
    // Each reading scored by exactly one worker, and both took a real share.
    expect(a.length + b.length).toBe(total);
    expect(new Set([...a, ...b]).size).toBe(total);
    expect(Math.min(a.length, b.length)).toBeGreaterThan(total * 0.2);

    const requestsB = await (async () => {
      const log = await PredictionLog.open(join(regB, 'predictions'));
      const r = await log.readRequests();
      await log.close();
      return r.requests.length;
    })();
    const merge = runCli(['registry', 'merge-log', '--registry', regA, '--from', regB, '--json']);
    expect(merge.stderr).toBe('');
    expect(JSON.parse(merge.stdout).sources).toEqual([
      { source: join(regB, 'predictions'), requests: requestsB, readings: b.length, skippedRequests: 0 },
    ]);
    const merged = await loggedColumn(regA, 'occupancy');
    expect(merged.length).toBe(total);
    expect(new Set(merged).size).toBe(total);
    // Merging again adds nothing.
    const again = runCli(['registry', 'merge-log', '--registry', regA, '--from', regB, '--json']);
    expect(JSON.parse(again.stdout).sources[0]).toMatchObject({ requests: 0, readings: 0, skippedRequests: requestsB });
    expect((await loggedColumn(regA, 'occupancy')).length).toBe(total);
  }, 240_000);

  it('authenticates with --username and --password-file, and fails clearly on a wrong password', async () => {
    const broker = await Broker.start(join(dir, 'broker-5'), { scorer: 's3cret pass' });
    brokers.push(broker);
    const good = join(dir, 'good.pw');
    const bad = join(dir, 'bad.pw');
    writeFileSync(good, 's3cret pass\n');
    writeFileSync(bad, 'guess\n');
    const args = ['--registry', registry, '--mqtt', broker.url, '--topic', 'site/+/readings', '--username', 'scorer'];
    const refused = runCli(['stream', ...args, '--password-file', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /MQTT broker mqtt:\/\/127\.0\.0\.1:\d+ refused the connection: .*(Bad username or password|Not authorized)/,
    );
    const stream = new StreamProcess([...args, '--password-file', good]);
    streams.push(stream);
    await stream.waitFor(/subscribed to site\/\+\/readings/);
    expect(await stream.stop()).toBe(0);
  }, 180_000);

  it('replay publishes a file as live readings, paced by its timestamps, and a worker scores every row', async () => {
    const broker = await Broker.start(join(dir, 'broker-4'));
    brokers.push(broker);
    const reg = join(dir, 'reg-4');
    cpSync(registry, reg, { recursive: true });
    const seen = await collect(broker.url, 'site/#');
    const stream = new StreamProcess(['--registry', reg, '--mqtt', broker.url, '--topic', 'site/+/readings', '--id-level', '1', '--json']);
    streams.push(stream);
    await stream.waitFor(/subscribed/);
    const csv = join(dir, 'sim.csv');
    // 10 days of hourly rows in 2 s: 432,000× real time.
    const r = runCli(['replay', '--data', csv, '--mqtt', broker.url, '--speed', '432000', '--json']);
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ published: 480, features: FEATURES });
    expect(summary.seconds).toBeGreaterThan(1.9);
    await until(() => seen.messages.length >= 480, 30_000, 'replayed readings seen');
    expect(seen.messages[0]).toEqual({
      timestamp: new Date(rows[0]!.timestamp).toISOString(),
      building_id: rows[0]!.building_id,
      ...rows[0]!.values,
    });
    await until(async () => (await loggedColumn(reg, 'total_kw')).length >= 480, 60_000, 'replayed readings logged');
    expect(await stream.stop()).toBe(0);
    expect(JSON.parse(stream.stdout)).toMatchObject({ scored: 480, malformedPayloads: 0, logged: 480 });
    await end(seen.client);
  }, 240_000);
});

describe('greenlens stream / replay arguments', () => {
  it('refuses a bad broker URL, a $share topic and a missing registry before connecting', () => {
    const dir = tempDir('gl-stream-args-');
    const url = runCli(['stream', '--registry', dir, '--mqtt', 'http://broker:1883', '--topic', 'a/b']);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('--mqtt must be mqtt://HOST:PORT or mqtts://HOST:PORT, got "http://broker:1883"');
    const share = runCli(['stream', '--registry', dir, '--mqtt', 'mqtt://127.0.0.1:1', '--topic', '$share/g/a/b']);
    expect(share.code).toBe(2);
    expect(share.stderr).toContain('give the plain topic and --group NAME');
    const missing = runCli(['stream', '--registry', join(dir, 'nope'), '--mqtt', 'mqtt://127.0.0.1:1', '--topic', 'a/b']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`No registry at ${join(dir, 'nope')}`);
    const replay = runCli(['replay', '--data', join(dir, 'x.csv'), '--mqtt', 'mqtt://127.0.0.1:1', '--topic', 'site/+/r']);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toContain('--topic must be a plain topic');
  });
});
