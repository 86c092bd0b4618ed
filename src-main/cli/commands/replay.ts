import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { importTableFile } from '../../backend/table-file';
import { replayRows } from '../../backend/live/replay-rows';
import { z } from 'zod';
import { parseCommandArgs, requiredArg, UsageError } from '../args';
import { flagValue } from '../schema-args';
import type { CliIo } from '../io';
import { connectMqtt } from '../../backend/live/mqtt-source';
import { mqttUrlArg } from '../stream/mqtt-url';

export const replayHelp = `greenlens replay   --data FILE.csv|FILE.parquet --mqtt mqtt[s]://HOST:PORT
                   [--topic 'site/{building_id}/readings'] [--speed 60] [--batch 1]
  Publish a file's rows as live readings (QoS 1) for demos and tests: one JSON object per row
  with the feature columns, timestamp and building_id, paced by the rows' timestamps at
  --speed × real time (0: as fast as the broker takes them). {building_id} in the topic is
  replaced per row; --batch N sends arrays of N readings.`;

export async function replayCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    data: { type: 'string' },
    mqtt: { type: 'string' },
    topic: { type: 'string' },
    speed: { type: 'string' },
    batch: { type: 'string' },
  });
  const data = resolve(requiredArg(values.data, 'data'));
  const url = mqttUrlArg(requiredArg(values.mqtt, 'mqtt'));
  const topicPattern = values.topic ?? 'site/{building_id}/readings';
  if (/[+#]/.test(topicPattern)) throw new UsageError('--topic must be a plain topic (without + or #); {building_id} is replaced per row.');
  const speed = flagValue(z.number().min(0).max(1e9).default(60), 'speed', values.speed);
  const batch = flagValue(z.number().int().min(1).max(100_000).default(1), 'batch', values.batch);

  const { table, roles } = await importTableFile(data, {}, (done, total) => io.progress('reading', done, total));
  const rows = replayRows(table, roles);

  const client = await connectMqtt({
    url,
    clientId: `greenlens-replay-${randomBytes(4).toString('hex')}`,
    persistent: false,
    onStatus: (line) => void process.stderr.write(`greenlens replay: ${line}\n`),
  });
  const t0Data = rows.timeAt(0);
  const started = performance.now();
  let published = 0;
  let pending: Promise<void>[] = [];
  for (let r = 0; r < table.rowCount; r += batch) {
    const end = Math.min(table.rowCount, r + batch);
    // Paced by the data's own clock: row r goes out (t_r - t_0) / speed after the start.
    if (speed > 0 && t0Data === t0Data) {
      const due = (rows.timeAt(r) - t0Data) / speed - (performance.now() - started);
      if (due > 1) {
        await Promise.all(pending);
        pending = [];
        await new Promise((w) => setTimeout(w, due));
      }
    }
    const payloads = Array.from({ length: end - r }, (_, k) => rows.payloadAt(r + k));
    const topic = topicPattern.replaceAll('{building_id}', rows.buildingAt(r) || 'unknown');
    const body = JSON.stringify(batch === 1 ? payloads[0] : payloads);
    pending.push(client.publishAcked(topic, body));
    published += payloads.length;
    if (pending.length >= 200) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  await client.close();
  const seconds = (performance.now() - started) / 1000;
  io.result({ data, published, seconds, speed, features: rows.features });
  io.say(`Published ${published.toLocaleString('en-US')} readings from ${data} in ${seconds.toFixed(1)} s (speed ${speed}×).`);
  return 0;
}
