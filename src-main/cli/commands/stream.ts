import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { GreenLensError } from '../../contract';
import { DEFAULT_MODEL } from '../../contract/shared/registry';
import { LiveLog, LiveScorer, type LiveResult } from '../../backend/live/live-scorer';
import { MicroBatcher, topicBuildingId } from '../../backend/live/micro-batch';
import { intArg, parseCommandArgs, requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import { describeFailure, type CliIo } from '../io';
import { connectMqtt, type MqttSource } from '../../backend/live/mqtt-source';
import { mqttUrlArg } from '../stream/mqtt-url';
import { nameArg } from './train';

export const streamHelp = `greenlens stream   --registry DIR --mqtt mqtt[s]://HOST:PORT --topic 'site/+/readings'
                   [--id-level N] [--results-topic T] [--model M] [--alias A] [--group NAME]
                   [--username U --password-file F] [--ca FILE] [--client-id ID]
                   [--max-delay-ms 0] [--max-batch 1000]
  Score readings published over MQTT as they arrive (QoS 1, persistent session), log them,
  and with --results-topic publish {timestamp, building_id, anomaly_score, is_anomaly, model, version}.
  --id-level N takes building_id from topic level N (0-based); --group NAME shares the topic
  between workers ($share/NAME/topic). Readings are scored in batches of what arrived while the
  last batch was scored (up to --max-batch); --max-delay-ms N waits up to N ms to gather a batch.
  SIGTERM or Ctrl+C drains, flushes the log and exits 0.`;

/** At most this many malformed-payload lines per second on stderr; the rest are counted. */
const MALFORMED_LINES_PER_S = 20;

export async function streamCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    registry: { type: 'string' },
    mqtt: { type: 'string' },
    topic: { type: 'string' },
    'id-level': { type: 'string' },
    'results-topic': { type: 'string' },
    model: { type: 'string' },
    alias: { type: 'string' },
    group: { type: 'string' },
    username: { type: 'string' },
    'password-file': { type: 'string' },
    ca: { type: 'string' },
    'client-id': { type: 'string' },
    'max-delay-ms': { type: 'string' },
    'max-batch': { type: 'string' },
  });
  const registry = resolve(requiredArg(values.registry, 'registry'));
  const url = mqttUrlArg(requiredArg(values.mqtt, 'mqtt'));
  const topic = requiredArg(values.topic, 'topic');
  if (topic.startsWith('$share/')) throw new UsageError('give the plain topic and --group NAME, not a $share/ topic.');
  const idLevel = values['id-level'] === undefined ? undefined : intArg(values['id-level'], 'id-level', 0, 0, 100);
  const group = values.group === undefined ? undefined : nameArg(values.group, 'group');
  const model = nameArg(values.model, 'model') ?? DEFAULT_MODEL;
  const alias = nameArg(values.alias, 'alias');
  const resultsTopic = values['results-topic'];
  if (resultsTopic !== undefined && /[+#]/.test(resultsTopic))
    throw new UsageError('--results-topic must be a plain topic without + or #.');
  if (values.username === undefined && values['password-file'] !== undefined) throw new UsageError('--password-file needs --username.');
  const password = values['password-file'] === undefined ? undefined : readSecret(resolve(values['password-file']), 'password-file');
  const ca = values.ca === undefined ? undefined : readSecret(resolve(values.ca), 'ca');
  const maxDelayMs = intArg(values['max-delay-ms'], 'max-delay-ms', 0, 0, 60_000);
  const maxReadings = intArg(values['max-batch'], 'max-batch', 1000, 1, 1_000_000);
  if (!existsSync(registry)) {
    throw new GreenLensError('not_found', `No registry at ${registry}.`, {
      file: registry,
      hint: 'Train a model first: greenlens train --registry DIR --data FILE.csv',
    });
  }
  // One fixed id per registry (and group): the broker keeps this session's queue while the worker is away.
  const clientId = values['client-id'] ?? defaultClientId(registry, group);

  const backend = new CliBackend(io, registry);
  const scorer = new LiveScorer(backend.state, { model, ...(alias ? { alias } : {}) });
  const first = await scorer.current(); // fail before connecting when there is nothing to score with
  const warn = (line: string): void => void process.stderr.write(`greenlens stream: ${line}\n`);
  const log = new LiveLog(backend.state, (error) => warn(`could not log predictions: ${describeFailure(error)}`));

  let source: MqttSource | null = null;
  let published = 0;
  let unpublished = 0;
  let malformedLines = 0;
  let malformedWindow = 0;
  let suppressed = 0;
  const batcher = new MicroBatcher(scorer, log, {
    maxDelayMs,
    maxReadings,
    ...(resultsTopic
      ? {
          onResults: (_payload: unknown, results: LiveResult[], array: boolean) => {
            if (source?.publish(resultsTopic, JSON.stringify(array ? results : results[0]))) published += results.length;
            else unpublished += results.length;
          },
        }
      : {}),
    onMalformed: (payload, errors) => {
      const now = Math.floor(Date.now() / 1000);
      if (now !== malformedWindow) {
        if (suppressed) warn(`${suppressed} more malformed payload lines suppressed`);
        malformedWindow = now;
        malformedLines = 0;
        suppressed = 0;
      }
      if (++malformedLines > MALFORMED_LINES_PER_S) {
        suppressed++;
        return;
      }
      warn(
        `malformed payload on ${payload.topic} skipped: ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? ` (+${errors.length - 3} more)` : ''}`,
      );
    },
    onError: (error, payloads) => warn(`${payloads} payloads not scored: ${describeFailure(error)}`),
  });

  // Listening before the "subscribed" line: a signal that arrives before a listener exists kills the process at once
  // (a supervisor, or a test, may send SIGTERM as soon as it reads that line).
  const stopRequested = new Promise<void>((done) => {
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
  const subscription = group ? `$share/${group}/${topic}` : topic;
  source = await connectMqtt({
    url,
    clientId,
    topic: subscription,
    ...(values.username !== undefined ? { username: values.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(ca !== undefined ? { ca } : {}),
    onMessage: (t, payload) => {
      const buildingId = topicBuildingId(t, idLevel);
      batcher.pushText(
        { topic: t, receivedAt: Date.now(), arrived: performance.now(), ...(buildingId !== undefined ? { buildingId } : {}) },
        payload.toString('utf8'),
      );
    },
    onStatus: warn,
  });
  warn(`subscribed to ${subscription} on ${url} as ${clientId}; scoring with ${first.meta.model} ${first.meta.version}`);

  await stopRequested;
  warn('stopping: draining buffered readings');
  await batcher.flush();
  // Graceful disconnect: in-flight publishes finish; readings that still arrive are left unacknowledged for the
  // broker to redeliver (mqtt-source.ts); what the batcher still holds is scored and logged below.
  if (!(await source.close())) warn('disconnected without waiting longer for the broker to acknowledge the last results');
  await batcher.flush();
  await log.flush();

  const s = batcher.stats;
  io.result({ clientId, subscription, ...s, published, unpublished, logged: log.logged, logFailures: log.failures });
  io.say(
    `Stream stopped: ${s.scored.toLocaleString('en-US')} readings scored (${s.anomalies.toLocaleString('en-US')} anomalies) from ${s.payloads.toLocaleString('en-US')} payloads, ` +
      `${s.malformedPayloads} malformed payloads and ${s.malformedReadings} malformed readings skipped, ${log.logged.toLocaleString('en-US')} logged` +
      `${resultsTopic ? `, ${published.toLocaleString('en-US')} results published` : ''}.`,
  );
  return log.failures > 0 ? 1 : 0;
}

function readSecret(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new GreenLensError('not_found', `--${flag}: cannot read ${path}: ${(error as Error).message}`, { file: path, field: flag });
  }
}

function defaultClientId(registry: string, group: string | undefined): string {
  const h = createHash('sha256')
    .update(`${hostname()}\n${registry}\n${group ?? ''}`)
    .digest('hex')
    .slice(0, 12);
  return `greenlens-${h}`;
}
