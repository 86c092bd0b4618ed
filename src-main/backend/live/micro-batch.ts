import { readingsFrom, topicLevel, type Reading } from '../../core/data/readings';
import type { LiveLog, LiveResult, LiveScorer, ScoredBatch } from './live-scorer';

/**
 * Gathers arriving payloads and scores them together: one forest pass per
 * batch instead of per reading is what makes tens of thousands of readings
 * per second possible. With `maxDelayMs` 0 (the default) a batch is scored as
 * soon as the scorer is free: at a trickle each payload goes alone (no added
 * latency), and under load the payloads that arrive while a batch is scored
 * form the next one, so batches grow exactly as much as the load needs
 * (up to `maxReadings`). A fixed `maxDelayMs` instead waits that long for
 * company, trading latency for fewer, larger log appends.
 * The feature order comes from the version resolved at flush time, so a
 * promotion between arrival and scoring cannot misalign values.
 */
export interface Payload {
  /** Where it came from: the MQTT topic, or "http" for a POST. */
  topic: string;
  body: unknown;
  /** Epoch ms on arrival: the time of readings without a timestamp. */
  receivedAt: number;
  /** performance.now() on arrival: the start of its latency. */
  arrived: number;
  /** Building id decided by the source (an MQTT topic level), overriding the payload. */
  buildingId?: string | null;
}

export interface BatchOptions {
  /** 0: score as soon as the scorer is free; else wait up to this long to gather a batch. */
  maxDelayMs: number;
  maxReadings: number;
  /** Results of one payload, in its shape (object or array). */
  onResults?(payload: Payload, results: LiveResult[], array: boolean): void;
  /** A payload (or some of its readings) rejected; never fatal. */
  onMalformed?(payload: Payload, errors: string[]): void;
  /** Every scored batch (the app's live view). */
  onScored?(batch: ScoredBatch): void;
  /** Scoring itself failed (e.g. no version to score with); the batch is counted as failed. */
  onError?(error: unknown, payloads: number): void;
}

export interface StreamStats {
  payloads: number;
  readings: number;
  scored: number;
  anomalies: number;
  malformedPayloads: number;
  malformedReadings: number;
  failedPayloads: number;
  batches: number;
}

export class MicroBatcher {
  readonly stats: StreamStats = {
    payloads: 0,
    readings: 0,
    scored: 0,
    anomalies: 0,
    malformedPayloads: 0,
    malformedReadings: 0,
    failedPayloads: 0,
    batches: 0,
  };
  private buffer: Payload[] = [];
  private bufferedReadings = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  /** Batches handed to the chain and not finished. */
  private queued = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly scorer: LiveScorer,
    private readonly log: LiveLog | null,
    private readonly opts: BatchOptions,
  ) {}

  /** A payload from a source; `text` is parsed here so a non-JSON payload is rejected at once. */
  pushText(p: Omit<Payload, 'body'>, text: string): void {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      this.stats.payloads++;
      this.stats.malformedPayloads++;
      this.opts.onMalformed?.({ ...p, body: null }, [`not JSON (${(error as Error).message})`]);
      return;
    }
    this.push({ ...p, body });
  }

  push(p: Payload): void {
    this.stats.payloads++;
    this.buffer.push(p);
    this.bufferedReadings += Array.isArray(p.body) ? p.body.length : 1;
    if (this.bufferedReadings >= this.opts.maxReadings) this.flushSoon();
    else if (this.opts.maxDelayMs > 0) this.timer ??= setTimeout(() => this.flushSoon(), this.opts.maxDelayMs);
    // Let the rest of this socket read join; while a batch is scored, its end flushes what gathered.
    else if (this.queued === 0) this.immediate ??= setImmediate(() => this.flushSoon());
  }

  /** Scores everything buffered; resolves when it is scored and handed to the log. */
  flush(): Promise<void> {
    this.flushSoon();
    return this.chain;
  }

  private flushSoon(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = null;
    }
    if (this.buffer.length === 0) return;
    const payloads = this.buffer;
    this.buffer = [];
    this.bufferedReadings = 0;
    this.queued++;
    // A failure of one batch (reported) must not stop the batches after it.
    this.chain = this.chain.then(async () => {
      try {
        await this.run(payloads);
      } catch (error: unknown) {
        this.stats.failedPayloads += payloads.length;
        this.opts.onError?.(error, payloads.length);
      } finally {
        this.queued--;
        if (this.queued === 0 && this.opts.maxDelayMs === 0 && this.buffer.length) this.flushSoon();
      }
    });
  }

  private async run(payloads: Payload[]): Promise<void> {
    let loaded;
    try {
      loaded = await this.scorer.current();
    } catch (error) {
      this.stats.failedPayloads += payloads.length;
      this.opts.onError?.(error, payloads.length);
      return;
    }
    const features = loaded.features;
    const readings: Reading[] = [];
    const owner: number[] = [];
    const arrays: boolean[] = [];
    let startedAt = Infinity;
    for (let k = 0; k < payloads.length; k++) {
      const p = payloads[k]!;
      const parsed = readingsFrom(p.body, features, {
        receivedAt: p.receivedAt,
        ...loaded.requires,
        ...(p.buildingId !== undefined ? { buildingId: p.buildingId } : {}),
      });
      arrays.push(parsed.array);
      this.stats.readings += parsed.readings.length + parsed.errors.length;
      if (parsed.errors.length) {
        if (parsed.readings.length === 0) this.stats.malformedPayloads++;
        this.stats.malformedReadings += parsed.errors.length;
        this.opts.onMalformed?.(p, parsed.errors);
      }
      for (const r of parsed.readings) {
        readings.push(r);
        owner.push(k);
      }
      if (parsed.readings.length) startedAt = Math.min(startedAt, p.arrived);
    }
    if (readings.length === 0) return;
    const onResults = this.opts.onResults;
    const batch = this.scorer.score(loaded, readings, startedAt, onResults !== undefined);
    this.stats.batches++;
    this.stats.scored += readings.length;
    for (let i = 0; i < readings.length; i++) this.stats.anomalies += batch.flags[i]!;
    this.log?.add(batch);
    this.opts.onScored?.(batch);
    if (onResults) {
      // Readings of one payload are contiguous in `readings`: hand each payload its slice.
      let i = 0;
      for (let k = 0; k < payloads.length; k++) {
        const from = i;
        while (i < owner.length && owner[i] === k) i++;
        if (i > from) onResults(payloads[k]!, batch.results.slice(from, i), arrays[k]!);
      }
    }
  }
}

/** The building id a topic level gives, for sources that take it from the topic. */
export function topicBuildingId(topic: string, idLevel: number | undefined): string | null | undefined {
  return idLevel === undefined ? undefined : topicLevel(topic, idLevel);
}
