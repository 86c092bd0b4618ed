import { randomUUID } from 'node:crypto';
import { applyPreprocess, predict, scoreSamples } from '../../core/model';
import type { Reading, ReadingOptions } from '../../core/data/readings';
import type { PredictionBatch } from '../../core/monitoring';
import type { VersionMeta } from '../../contract/shared/registry';
import { buildingSlots } from '../monitoring/buildings';
import { logPredictions } from '../prediction-sink';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';
import { versionFeatures } from '../model/score-contextual';
import { loadDetector, resolveVersion, type LoadedDetector } from '../model/versions';
import { ContextualLive } from './contextual-live';

/** What a scored reading is published as (MQTT results topic, HTTP answer). */
export interface LiveResult {
  timestamp: string;
  building_id: string | null;
  anomaly_score: number;
  is_anomaly: boolean;
  model: string;
  version: string;
}

export interface LiveModelChoice {
  model: string;
  /** Default: the production alias, else the newest version. */
  alias?: string;
  version?: string;
}

export interface ScoredBatch {
  readings: Reading[];
  scores: Float64Array;
  flags: Uint8Array;
  results: LiveResult[];
  model: string;
  version: string;
  features: string[];
  /** From the first reading's arrival to having flags. */
  latencyMs: number;
}

/**
 * The version a stream scores with: either kind of detector, the feature
 * order readings are parsed in, and, for the contextual detector, the
 * per-building past its sequence rules need (kept while the version stays).
 */
export interface LiveVersion {
  meta: VersionMeta;
  detector: LoadedDetector;
  features: string[];
  contextual: ContextualLive | null;
  /** What a reading must carry for this version (a file's rows always have it). */
  requires: Pick<ReadingOptions, 'requireTimestamp' | 'requireBuildingId'>;
}

function liveVersion(detector: LoadedDetector): LiveVersion {
  if (detector.kind === 'isolation-forest')
    return { meta: detector.meta, detector, features: detector.model.features, contextual: null, requires: {} };
  const features = versionFeatures(detector.meta, detector.artifact);
  const contextual = new ContextualLive(detector.artifact, features);
  return {
    meta: detector.meta,
    detector,
    features,
    contextual,
    requires: { requireTimestamp: true, requireBuildingId: contextual.perBuilding },
  };
}

/** A promotion is picked up within this long without a restart. */
const RESOLVE_EVERY_MS = 5_000;

/**
 * Scores readings as they arrive with the deployed version. The version is
 * re-resolved every few seconds, so promoting or rolling back while a stream
 * runs takes effect without restarting it; a batch is always scored and
 * logged by one version.
 */
export class LiveScorer {
  private loaded: LiveVersion | null = null;
  private resolvedAt = 0;

  constructor(
    private readonly state: BackendState,
    private readonly choice: LiveModelChoice,
  ) {}

  /** The version to score with now (loads it on first use and after a promotion). */
  async current(): Promise<LiveVersion> {
    if (!this.loaded) return this.resolve();
    // Re-resolved in the background: scoring never waits on registry reads (behind a busy disk or
    // the log's appends in the thread pool, that wait held up every batch for seconds).
    if (Date.now() - this.resolvedAt >= RESOLVE_EVERY_MS && !this.resolving) {
      this.resolving = this.resolve()
        .catch(() => this.loaded!) // the version in use stays until the registry answers
        .finally(() => (this.resolving = null));
    }
    return this.loaded;
  }

  private resolving: Promise<LiveVersion> | null = null;

  private async resolve(): Promise<LiveVersion> {
    const now = Date.now();
    const registry = await currentRegistry(this.state);
    const meta = await resolveVersion(registry, this.choice.model, {
      ...(this.choice.version ? { version: this.choice.version } : {}),
      ...(this.choice.alias ? { alias: this.choice.alias } : {}),
    });
    if (!this.loaded || this.loaded.meta.version !== meta.version || this.loaded.meta.artifact.sha256 !== meta.artifact.sha256) {
      this.loaded = liveVersion(await loadDetector(registry, meta));
    }
    this.resolvedAt = now;
    return this.loaded;
  }

  /**
   * Scores one micro-batch (readings carry values in `loaded.model.features` order).
   * Result objects are built only when someone sends them on (`withResults`).
   */
  score(loaded: LiveVersion, readings: Reading[], startedAt: number, withResults = true): ScoredBatch {
    const { meta, detector } = loaded;
    const { scores, flags } = detector.kind === 'isolation-forest' ? scoreForest(detector, readings) : loaded.contextual!.score(readings);
    const n = readings.length;
    const latencyMs = Math.max(0, performance.now() - startedAt);
    const results: LiveResult[] = withResults ? new Array(n) : [];
    for (let i = 0; withResults && i < n; i++) {
      const r = readings[i]!;
      results[i] = {
        timestamp: new Date(r.time).toISOString(),
        building_id: r.buildingId,
        anomaly_score: Math.round(scores[i]! * 1e6) / 1e6,
        is_anomaly: flags[i] === 1,
        model: meta.model,
        version: meta.version,
      };
    }
    return { readings, scores, flags, results, model: meta.model, version: meta.version, features: loaded.features, latencyMs };
  }
}

/** One forest pass over a micro-batch (values in the forest's feature order). */
function scoreForest(
  detector: Extract<LoadedDetector, { kind: 'isolation-forest' }>,
  readings: Reading[],
): { scores: Float64Array; flags: Uint8Array } {
  const { model, preprocess } = detector;
  const n = readings.length;
  const columns = model.features.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const v = readings[i]!.values;
    for (let j = 0; j < columns.length; j++) columns[j]![i] = v[j]!;
  }
  const groups = preprocess.kind === 'per-id' ? buildingCodes(readings) : null;
  const scores = scoreSamples(model, applyPreprocess(preprocess, columns, groups));
  return { scores, flags: predict(model, scores) };
}

/** The readings' building ids as a dictionary and a code per reading (-1: none), the shape an id column has. */
function buildingCodes(readings: Iterable<Reading>): { codes: Int32Array; dictionary: string[] } {
  const dictionary: string[] = [];
  const lookup = new Map<string, number>();
  const codes: number[] = [];
  for (const r of readings) {
    const id = r.buildingId;
    let code = id === null ? -1 : lookup.get(id);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(id!);
      lookup.set(id!, code);
    }
    codes.push(code);
  }
  return { codes: Int32Array.from(codes), dictionary };
}

/**
 * Appends scored batches to the prediction log in the background, one append
 * at a time and at most one every `minIntervalMs`: batches that arrive
 * meanwhile go together in the next one, as one request per version. An append takes the registry lock and re-reads the log's
 * folder, so appending after every small batch cost a stream more CPU than
 * scoring; results are published before logging, so this adds no latency.
 * `flush()` resolves when everything handed in is on disk.
 */
export class LiveLog {
  private pending: ScoredBatch[] = [];
  private running: Promise<void> | null = null;
  logged = 0;
  failures = 0;

  constructor(
    private readonly state: BackendState,
    private readonly onError: (error: unknown) => void,
    private readonly minIntervalMs = 200,
  ) {}

  add(batch: ScoredBatch): void {
    this.pending.push(batch);
    this.running ??= this.drain();
  }

  /** Waits for everything handed in to be on disk (without the interval between appends). */
  async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.running) await this.running;
    } finally {
      this.flushing = false;
    }
  }

  private lastAppend = -Infinity;
  private flushing = false;

  private async drain(): Promise<void> {
    try {
      while (this.pending.length) {
        const wait = this.lastAppend + this.minIntervalMs - performance.now();
        if (wait > 0 && !this.flushing) await new Promise((r) => setTimeout(r, wait));
        this.lastAppend = performance.now();
        const batches = this.pending;
        this.pending = [];
        try {
          const merged = mergeBatches(batches);
          // Each reading's building goes into the log as file scoring puts it there (score-output.ts).
          const registryDir = (await currentRegistry(this.state)).dir;
          for (const m of merged) {
            const ids = buildingCodes(m.readings);
            if (ids.dictionary.length > 0) m.batch.buildingSlots = await buildingSlots(registryDir, ids, this.state.logger);
          }
          const r = await logPredictions(
            this.state,
            merged.map((m) => m.batch),
          );
          this.logged += r.appended;
        } catch (error) {
          this.failures++;
          this.onError(error);
        }
      }
    } finally {
      this.running = null;
    }
  }
}

/**
 * One logged request per run of batches scored by the same version: a stream
 * scores hundreds of small batches a second, and a request record per batch
 * made the log's appends (and the files) grow with the batch count instead of
 * the readings. Its latency is the slowest batch's, so latency percentiles
 * stay on the safe side.
 */
function mergeBatches(batches: ScoredBatch[]): { batch: PredictionBatch; readings: Reading[] }[] {
  const out: { batch: PredictionBatch; readings: Reading[] }[] = [];
  let from = 0;
  for (let k = 1; k <= batches.length; k++) {
    const a = batches[from]!;
    const b = batches[k];
    if (b && b.model === a.model && b.version === a.version && b.features === a.features) continue;
    const group = batches.slice(from, k);
    out.push({ batch: toPredictionBatch(group), readings: group.flatMap((g) => g.readings) });
    from = k;
  }
  return out;
}

function toPredictionBatch(group: ScoredBatch[]): PredictionBatch {
  const first = group[0]!;
  const n = group.reduce((t, b) => t + b.readings.length, 0);
  const rowTimes = new Float64Array(n);
  const values = first.features.map(() => new Float64Array(n));
  const scores = new Float64Array(n);
  const flags = new Uint8Array(n);
  let latencyMs = 0;
  let i = 0;
  for (const b of group) {
    scores.set(b.scores, i);
    flags.set(b.flags, i);
    latencyMs = Math.max(latencyMs, b.latencyMs);
    for (const r of b.readings) {
      rowTimes[i] = r.time;
      for (let j = 0; j < values.length; j++) values[j]![i] = r.values[j]!;
      i++;
    }
  }
  return {
    model: first.model,
    version: first.version,
    features: first.features,
    requestId: randomUUID(),
    time: Date.now(),
    latencyMs,
    scores,
    flags,
    values,
    rowTimes,
  };
}
