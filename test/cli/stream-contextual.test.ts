import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';
import { Broker, connect, end, hasMosquitto, publishAcked, sleep } from '../helpers/mosquitto';
import { StreamProcess } from '../helpers/stream-process';

const FEATURES = ['outdoor_temp_c', 'humidity_pct', 'occupancy', 'hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'];
const HOUR = 3_600_000;

interface Row {
  time: number;
  building: string;
  values: Record<string, number>;
  /** The batch score of `greenlens score` over the whole file. */
  score: number;
}

let dir = '';
let registry = '';
let rows: Row[] = [];
let broker: Broker | null = null;
let stream: StreamProcess | null = null;

describe.skipIf(!hasMosquitto)('greenlens stream with a contextual version, against a real mosquitto', () => {
  beforeAll(() => {
    dir = tempDir('gl-stream-ctx-');
    const csv = join(dir, 'sim.csv');
    // 42 days: the training 80 % exceeds the 28 days a building needs for its own baseline.
    expect(runCli(['simulate', '--out', csv, '--buildings', '2', '--days', '42', '--seed', '3', '--anomaly-rate', '0']).code).toBe(0);
    registry = join(dir, 'registry');
    expect(runCli(['train', '--algorithm', 'contextual', '--registry', registry, '--data', csv]).code).toBe(0);
    const scored = join(dir, 'scored.csv');
    expect(runCli(['score', '--registry', registry, '--data', csv, '--out', scored, '--no-log']).code).toBe(0);
    const lines = readFileSync(scored, 'utf8').trimEnd().split('\n');
    const header = lines[0]!.split(',');
    rows = lines.slice(1).map((line) => {
      const cells = line.split(',');
      const get = (name: string): string => cells[header.indexOf(name)]!;
      return {
        time: Date.parse(get('timestamp')),
        building: get('building_id'),
        values: Object.fromEntries(FEATURES.map((f) => [f, Number(get(f))])),
        score: Number(get('anomaly_score')),
      };
    });
  }, 300_000);

  afterAll(async () => {
    stream?.kill();
    await broker?.stop();
  });

  it('keeps each building’s past: end-of-day readings score as in a file, a stuck sensor is flagged once stuck for 6 h', async () => {
    broker = await Broker.start(join(dir, 'broker'));
    stream = new StreamProcess([
      '--registry',
      registry,
      '--mqtt',
      broker.url,
      '--topic',
      'site/+/readings',
      '--id-level',
      '1',
      '--results-topic',
      'results',
      '--json',
    ]);
    await stream.waitFor(/subscribed to site\/\+\/readings/);
    const results = await connect(broker.url, { clientId: 'ctx-results', clean: true });
    const got = new Map<string, Record<string, unknown>>();
    results.on('message', (_t, payload) => {
      const r = JSON.parse(payload.toString()) as Record<string, unknown>;
      got.set(`${String(r.building_id)} ${String(r.timestamp)}`, r);
    });
    await new Promise<void>((r, j) => results.subscribe('results', { qos: 1 }, (e) => (e ? j(e) : r())));

    // The file's last three days, both buildings interleaved as in the file, one reading per payload.
    const last = rows[rows.length - 1]!.time;
    const from = last - 72 * HOUR + HOUR;
    const live = rows.filter((r) => r.time >= from);
    expect(live.length).toBe(144);
    // B01's humidity sensor freezes for 10 hours on the last day (08:00–17:00).
    const stuckFrom = last - 23 * HOUR + 8 * HOUR;
    const stuck = (r: Row): boolean => r.building === 'B01' && r.time >= stuckFrom && r.time < stuckFrom + 10 * HOUR;
    const pub = await connect(broker.url, { clientId: 'ctx-pub', clean: true });
    // In lockstep (each result before the next reading): readings that arrive together are scored together, as a file's
    // rows are, so a run completed within one batch is flagged from its start; one at a time, each sees only its past.
    for (const r of live) {
      const values = stuck(r) ? { ...r.values, humidity_pct: 55.5 } : r.values;
      const timestamp = new Date(r.time).toISOString();
      await publishAcked(pub, `site/${r.building}/readings`, JSON.stringify({ ...values, timestamp }));
      const until = Date.now() + 30_000;
      while (!got.has(`${r.building} ${timestamp}`) && Date.now() < until) await sleep(5);
    }
    // Sequence models need a time and a building: both rejections are counted, never fatal.
    await publishAcked(pub, 'site/B01/readings', JSON.stringify(live[0]!.values));
    await publishAcked(pub, 'site//readings', JSON.stringify({ ...live[0]!.values, timestamp: new Date(last).toISOString() }));
    await end(pub);
    const deadline = Date.now() + 60_000;
    while (got.size < live.length && Date.now() < deadline) await sleep(100);
    await stream.waitFor(/malformed payload on site\/\/readings/);
    expect(await stream.stop()).toBe(0);
    await end(results as MqttClient);

    const result = (r: Row): Record<string, unknown> => got.get(`${r.building} ${new Date(r.time).toISOString()}`)!;
    expect(got.size).toBe(live.length);
    expect(result(live[0]!)).toMatchObject({ building_id: live[0]!.building, model: 'energy-anomaly', version: '1.0.0' });
    // At 23:00 the day so far is the whole day and the 24 h window is full: the score is the file's.
    const endOfDay = live.filter((r) => new Date(r.time).getUTCHours() === 23 && !stuck(r));
    expect(endOfDay.length).toBe(6);
    // Within the results' rounding (6 decimals): comparing toFixed(4) texts flipped on a score of 0.35515.
    for (const r of endOfDay) expect([r.building, result(r).anomaly_score]).toEqual([r.building, expect.closeTo(r.score, 5)]);
    // The stuck rule needs 6 equal hourly readings: the first five score as in the file (humidity feeds only that rule),
    // the sixth on are flagged by it: rules score 2 × threshold, 10 / (10 + 5).
    const frozen = live.filter(stuck);
    expect(frozen.slice(0, 5).map((r) => result(r).anomaly_score)).toEqual(frozen.slice(0, 5).map((r) => expect.closeTo(r.score, 5)));
    expect(frozen.slice(0, 5).some((r) => r.score > 2 / 3 - 1e-6)).toBe(false);
    for (const r of frozen.slice(5)) expect(result(r)).toMatchObject({ is_anomaly: true, anomaly_score: expect.closeTo(2 / 3, 5) });
    // B02 was not touched: its readings at the same hours are not flagged.
    expect(
      live
        .filter((r) => r.building === 'B02' && r.time >= stuckFrom + 5 * HOUR && r.time < stuckFrom + 10 * HOUR)
        .map((r) => result(r).is_anomaly),
    ).toEqual([false, false, false, false, false]);
    expect(stream.stderr).toMatch(
      /malformed payload on site\/B01\/readings skipped: "timestamp" is missing \(the contextual model reads readings in time order\)/,
    );
    expect(stream.stderr).toMatch(
      /malformed payload on site\/\/readings skipped: "building_id" is missing \(the contextual model baselines each building\)/,
    );
    expect(JSON.parse(stream.stdout)).toMatchObject({ scored: 144, malformedPayloads: 2, logged: 144, published: 144, logFailures: 0 });
  }, 240_000);
});
