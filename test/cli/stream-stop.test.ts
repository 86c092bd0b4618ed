import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PredictionLog } from '../../src-main/core/monitoring';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';
import { Broker, connect, end, hasMosquitto, sleep } from '../helpers/mosquitto';
import { StreamProcess } from '../helpers/stream-process';

/** Stopping `greenlens stream` while readings still flow: no error line, everything scored is logged with its building. */

let dir = '';
let registry = '';
let readings: Record<string, unknown>[] = [];
const brokers: Broker[] = [];
const streams: StreamProcess[] = [];

describe.skipIf(!hasMosquitto)('stopping greenlens stream while readings flow (real mosquitto)', () => {
  beforeAll(() => {
    dir = tempDir('gl-stream-stop-');
    const csv = join(dir, 'sim.csv');
    expect(runCli(['simulate', '--out', csv, '--buildings', '2', '--days', '5', '--seed', '3']).code).toBe(0);
    registry = join(dir, 'registry');
    expect(runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', csv, '--trees', '20']).code).toBe(0);
    const [head, ...lines] = readFileSync(csv, 'utf8').trimEnd().split('\n');
    const header = head!.split(',');
    readings = lines.map((line) => {
      const cells = line.split(',');
      return Object.fromEntries(header.map((h, i) => [h, h === 'timestamp' || h === 'building_id' ? cells[i] : Number(cells[i])]));
    });
  }, 300_000);

  afterAll(async () => {
    for (const s of streams) s.kill();
    for (const b of brokers) await b.stop();
  });

  it('prints no "MQTT error" (no result or acknowledgement written after end), exits 0, logs each reading with its building, and the next worker on the session logs the rest: none lost, none twice', async () => {
    const broker = await Broker.start(join(dir, 'broker'));
    brokers.push(broker);
    for (let round = 0; round < 3; round++) {
      const reg = join(dir, `reg-${round}`);
      cpSync(registry, reg, { recursive: true });
      // One session (client id) per round: the second worker takes over the first one's.
      const session = [
        '--registry',
        reg,
        '--mqtt',
        broker.url,
        '--topic',
        'site/+/readings',
        '--id-level',
        '1',
        '--client-id',
        `stop-${round}`,
      ];
      const stream = new StreamProcess([...session, '--results-topic', 'results/all', '--json']);
      streams.push(stream);
      await stream.waitFor(/subscribed to site\/\+\/readings/);
      const pub: MqttClient = await connect(broker.url, { clientId: `pub-stop-${round}`, clean: true });
      let sent = 0;
      let flowing = true;
      // QoS 1 readings, a few every millisecond, without waiting for acknowledgements: they keep arriving during the stop.
      const flow = (async () => {
        while (flowing) {
          for (let k = 0; k < 5; k++) {
            const r = readings[sent % readings.length]!;
            pub.publish(`site/${String(r.building_id)}/readings`, JSON.stringify({ ...r, building_id: undefined }), { qos: 1 });
            sent++;
          }
          await sleep(1);
        }
      })();
      await sleep(1500);
      const code = await stream.stop();
      flowing = false;
      await flow;
      await end(pub);
      expect(stream.stderr).not.toMatch(/MQTT error/);
      expect(code).toBe(0);
      const summary = JSON.parse(stream.stdout) as { scored: number; logged: number; logFailures: number };
      expect(summary.scored).toBeGreaterThan(0);
      expect(summary.logged).toBe(summary.scored);
      expect(summary.logFailures).toBe(0);
      const names = JSON.parse(readFileSync(join(reg, 'predictions', 'buildings.json'), 'utf8')) as { buildings: string[] };
      expect(names.buildings.sort()).toEqual([...new Set(readings.map((r) => String(r.building_id)))].sort());
      const log = await PredictionLog.open(join(reg, 'predictions'));
      try {
        const cols = await log.readRange(-Infinity, Infinity, { columns: [] });
        expect(cols.time.length).toBe(summary.logged);
        expect(cols.building.subarray(0, cols.time.length).every((slot) => slot > 0)).toBe(true);
      } finally {
        await log.close();
      }

      // Readings that arrived while it stopped were left unacknowledged: the broker kept them (and those sent after)
      // for the session, and the next worker on it logs exactly the rest, none lost and none twice.
      const next = new StreamProcess(session);
      streams.push(next);
      await next.waitFor(/subscribed to site\/\+\/readings/);
      const until = Date.now() + 60_000;
      let total = 0;
      while (Date.now() < until) {
        await sleep(500);
        const again = await PredictionLog.open(join(reg, 'predictions'));
        total = again.count();
        await again.close();
        if (total >= sent) break;
      }
      expect(await next.stop()).toBe(0);
      const after = await PredictionLog.open(join(reg, 'predictions'));
      try {
        expect(after.count()).toBe(sent);
      } finally {
        await after.close();
      }
    }
  }, 300_000);
});
