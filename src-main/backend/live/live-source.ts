import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { GreenLensError, type GreenLensEvent, type OpArgs } from '../../contract';
import type { LiveSourceInfo, LiveState, LiveStatusInfo } from '../../contract/shared/live';
import { DEFAULT_MODEL } from '../../contract/shared/registry';
import { currentRegistry, registryDirOf } from '../registry-access';
import type { BackendState } from '../state';
import { LiveLog, LiveScorer, type LiveResult } from './live-scorer';
import { LiveWindow, Throttle } from './live-window';
import { MicroBatcher, topicBuildingId } from './micro-batch';
import { connectMqtt, type MqttSource } from './mqtt-source';
import { replayRows } from './replay-rows';

/** Predictions of a running source reach the logged views (health, drift) this often, not per batch. */
const LOGGED_REFRESH_MS = 10_000;
/** Replay pacing tick: rows due by now go out together. */
const REPLAY_TICK_MS = 50;

/**
 * The app's live source, run in the backend worker (never the renderer): an
 * MQTT subscription scored like `greenlens stream`, or a dataset replayed at
 * N× real time. Scored readings are logged like the stream's, and the live
 * view gets `live` events (status and rolling window), throttled to a few a
 * second.
 */
class LiveSource {
  private readonly window = new LiveWindow();
  private readonly throttle: Throttle;
  private readonly log: LiveLog;
  private readonly scorer: LiveScorer;
  private readonly batcher: MicroBatcher;
  private mqtt: MqttSource | null = null;
  private stopping = false;
  private lastLoggedEvent = 0;
  private model: string | null = null;
  private version: string | null = null;
  state: LiveState;
  message: string | null = null;
  /** Payloads with a reading skipped (not JSON, or a reading without its fields). */
  malformed = 0;
  readonly startedAt = Date.now();

  constructor(
    backend: BackendState,
    /** The registry it logs into; opening another one stops it (stopLiveOnSwitch). */
    readonly registryDir: string,
    readonly source: LiveSourceInfo,
    choice: { model: string; alias?: string },
    private readonly emit: (event: GreenLensEvent) => void,
    withResults: ((results: LiveResult[], array: boolean) => void) | null,
  ) {
    this.state = source.kind === 'mqtt' ? 'connecting' : 'replaying';
    this.throttle = new Throttle(() => this.emit({ type: 'live', status: this.status() }));
    this.scorer = new LiveScorer(backend, choice);
    this.log = new LiveLog(backend, (error) => this.note(`could not log predictions: ${(error as Error).message}`));
    this.batcher = new MicroBatcher(this.scorer, this.log, {
      maxDelayMs: 0,
      maxReadings: 1000,
      ...(withResults ? { onResults: (_p: unknown, results: LiveResult[], array: boolean) => withResults(results, array) } : {}),
      onMalformed: (payload, errors) => {
        this.malformed++;
        this.note(`malformed payload on ${payload.topic} skipped: ${errors.slice(0, 2).join('; ')}`);
      },
      onError: (error, payloads) => this.note(`${payloads} payloads not scored: ${(error as Error).message}`),
      onScored: (batch) => {
        this.model = batch.model;
        this.version = batch.version;
        this.window.add(Date.now(), batch.scores, batch.flags);
        this.changed();
      },
    });
  }

  get batches(): MicroBatcher {
    return this.batcher;
  }

  async scorerReady(): Promise<void> {
    const v = await this.scorer.current();
    this.model = v.meta.model;
    this.version = v.meta.version;
  }

  /** Aborts a connect in progress when the source is stopped. */
  readonly abort = new AbortController();

  attach(mqtt: MqttSource): void {
    this.mqtt = mqtt;
  }

  setState(state: LiveState, message?: string): void {
    this.state = state;
    if (message !== undefined) this.message = message;
    this.throttle.flush();
  }

  note(message: string): void {
    this.message = message;
    this.changed();
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  private changed(): void {
    this.throttle.request();
    const now = Date.now();
    if (now - this.lastLoggedEvent >= LOGGED_REFRESH_MS) {
      this.lastLoggedEvent = now;
      // Health and drift read the prediction log: refresh them now and then, not per batch.
      void this.log.flush().then(() => this.emit({ type: 'changed', topic: 'predictions' }));
    }
  }

  /** Drains: buffered readings are scored and logged, then the connection closes. */
  async stop(final: LiveState = 'stopped', why?: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (why !== undefined) this.message = why;
    this.abort.abort();
    await this.batcher.flush();
    await this.mqtt?.close();
    await this.batcher.flush();
    await this.log.flush();
    this.throttle.cancel();
    this.state = final;
    this.emit({ type: 'live', status: this.status() });
    this.emit({ type: 'changed', topic: 'predictions' });
  }

  status(): LiveStatusInfo {
    const s = this.batcher.stats;
    const now = Date.now();
    return {
      state: this.state,
      source: this.source,
      model: this.model,
      version: this.version,
      startedAt: this.startedAt,
      scored: s.scored,
      anomalies: s.anomalies,
      malformed: this.malformed,
      readingsPerSecond: this.window.rate(now),
      logged: this.log.logged,
      message: this.message,
      window: this.window.snapshot(now),
    };
  }
}

const running = new WeakMap<BackendState, LiveSource>();

export function liveStatus(state: BackendState): LiveStatusInfo {
  const src = running.get(state);
  if (src) return src.status();
  return {
    state: 'stopped',
    source: null,
    model: null,
    version: null,
    startedAt: null,
    scored: 0,
    anomalies: 0,
    malformed: 0,
    readingsPerSecond: 0,
    logged: 0,
    message: null,
    window: new LiveWindow().snapshot(Date.now()),
  };
}

export async function stopLive(state: BackendState): Promise<LiveStatusInfo> {
  const src = running.get(state);
  if (!src) return liveStatus(state);
  await src.stop();
  return src.status();
}

/**
 * A live source logs into the registry it was started on (ARCHITECTURE §5). Called before the backend adopts
 * another registry: the source is stopped while the old one is still open, so its buffered readings are logged
 * there, and its status says why.
 */
export async function stopLiveOnSwitch(state: BackendState, target: string): Promise<void> {
  const src = running.get(state);
  if (!src || src.isStopping || src.registryDir === target) return;
  await src.stop(
    'stopped',
    `Stopped: ${target} was opened; a live source logs only into the registry it was started on (${src.registryDir}). Start it again to score into this one.`,
  );
}

async function readSecret(path: string, field: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new GreenLensError('not_found', `${field}: cannot read ${path}: ${(error as Error).message}`, { file: path, field });
  }
}

export async function startLive(
  state: BackendState,
  args: OpArgs<'live.start'>,
  emit: (e: GreenLensEvent) => void,
): Promise<LiveStatusInfo> {
  await stopLive(state);
  const choice = { model: args.model ?? DEFAULT_MODEL, ...(args.alias ? { alias: args.alias } : {}) };
  if (args.kind === 'replay') return startReplay(state, args, choice, emit);

  const password = args.passwordFile === undefined ? undefined : await readSecret(args.passwordFile, 'passwordFile');
  const ca = args.ca === undefined ? undefined : await readSecret(args.ca, 'ca');
  if (password !== undefined && args.username === undefined)
    throw new GreenLensError('invalid_input', 'A password file needs a username.', { field: 'username' });
  const info: LiveSourceInfo = { kind: 'mqtt', url: args.url, topic: args.topic, resultsTopic: args.resultsTopic ?? null };
  let mqtt: MqttSource | null = null;
  const resultsTopic = args.resultsTopic;
  const src = new LiveSource(
    state,
    (await currentRegistry(state)).dir,
    info,
    choice,
    emit,
    resultsTopic ? (results, array) => void mqtt?.publish(resultsTopic, JSON.stringify(array ? results : results[0])) : null,
  );
  await src.scorerReady(); // nothing to score with: fail before connecting
  // A fixed id per registry and topic: the broker keeps this session's queue while the app is closed.
  const clientId = `greenlens-app-${createHash('sha256')
    .update(`${state.registryPath ?? ''}\n${args.url}\n${args.topic}`)
    .digest('hex')
    .slice(0, 12)}`;
  running.set(state, src);
  // Connecting can take as long as the broker is away: the call answers at once ("connecting"), events follow.
  connectMqtt({
    url: args.url,
    clientId,
    topic: args.topic,
    signal: src.abort.signal,
    ...(args.username !== undefined ? { username: args.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(ca !== undefined ? { ca } : {}),
    onMessage: (topic, payload) => {
      const buildingId = topicBuildingId(topic, args.idLevel);
      src.batches.pushText(
        { topic, receivedAt: Date.now(), arrived: performance.now(), ...(buildingId !== undefined ? { buildingId } : {}) },
        payload.toString('utf8'),
      );
    },
    onStatus: (line) => src.note(line),
    onState: (s) => src.setState(s),
  }).then(
    (client) => {
      mqtt = client;
      src.attach(client);
      if (src.isStopping) void client.close();
      else src.setState('connected', `subscribed to ${args.topic} on ${args.url}`);
    },
    (error: unknown) => {
      if (!src.isStopping) src.setState('failed', (error as Error).message);
    },
  );
  return src.status();
}

async function startReplay(
  state: BackendState,
  args: Extract<OpArgs<'live.start'>, { kind: 'replay' }>,
  choice: { model: string; alias?: string },
  emit: (e: GreenLensEvent) => void,
): Promise<LiveStatusInfo> {
  const ds = await state.datasets.get(args.datasetId, registryDirOf(state));
  const rows = replayRows(ds.table, ds.roles);
  const info: LiveSourceInfo = { kind: 'replay', datasetId: ds.info.id, dataset: ds.info.name, speed: args.speed, rows: rows.rowCount };
  const src = new LiveSource(state, (await currentRegistry(state)).dir, info, choice, emit, null);
  await src.scorerReady();
  running.set(state, src);
  const t0 = rows.timeAt(0);
  const paced = args.speed > 0 && t0 === t0;
  const started = performance.now();
  let r = 0;
  const tick = (): void => {
    if (src.isStopping) return;
    // Rows due by now (by their timestamps at speed×), or a tick's worth as fast as scoring goes.
    const elapsed = performance.now() - started;
    let end = r;
    if (paced) while (end < rows.rowCount && (rows.timeAt(end) - t0) / args.speed <= elapsed) end++;
    else end = Math.min(rows.rowCount, r + 1000);
    for (; r < end; r++) {
      src.batches.push({
        topic: 'replay',
        body: rows.payloadAt(r),
        receivedAt: Date.now(),
        arrived: performance.now(),
        buildingId: rows.buildingAt(r) || null,
      });
    }
    if (r < rows.rowCount) {
      setTimeout(tick, REPLAY_TICK_MS);
      return;
    }
    void src.stop('finished').then(() => src.note(`replayed ${rows.rowCount.toLocaleString('en-US')} rows`));
  };
  setTimeout(tick, 0);
  src.setState('replaying', `replaying ${ds.info.name} at ${args.speed}×`);
  return src.status();
}
