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
import type { AbRun, Arm } from '../../contract/shared/ab';
import { routeReadings } from '../../core/loop/ab';
import { mergeArms, routeFor } from '../loop/ab';

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
  /** Which arm logged predictions belong to (set on the parts LiveLog logs); absent = champion. */
  arm?: Arm;
  /**
   * An A/B or shadow run on the alias (ARCHITECTURE §4a): `scores`/`flags` above
   * are what decided (the challenger's where `arms[i]` is 1); a shadow's own
   * scores are kept apart and only logged.
   */
  ab?: { run: AbRun; version: string; arms: Uint8Array | null; shadow: { scores: Float64Array; flags: Uint8Array } | null };
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
  /** The alias's A/B or shadow run and its challenger, re-resolved with the version. */
  ab?: { run: AbRun; challenger: LiveVersion } | null;
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
    this.loaded.ab = await this.resolveChallenger(meta);
    this.resolvedAt = now;
    return this.loaded;
  }

  private challenger: LiveVersion | null = null;
  private skipped = '';

  /**
   * The alias's A/B or shadow run, with its challenger loaded (kept while it
   * stays, so a contextual challenger keeps its buildings' past). Readings are
   * parsed in the champion's feature order, so a challenger with other
   * features is left out of a stream, with a warning.
   */
  private async resolveChallenger(meta: VersionMeta): Promise<LiveVersion['ab']> {
    const run = await routeFor(this.state, meta.model, { version: this.choice.version, alias: this.choice.alias }, meta.version);
    if (!run) return null;
    if (this.challenger?.meta.version !== run.challenger) {
      const registry = await currentRegistry(this.state);
      this.challenger = liveVersion(await loadDetector(registry, await registry.getVersion(meta.model, run.challenger)));
    }
    const own = this.loaded!.features;
    if (this.challenger.features.length !== own.length || this.challenger.features.some((f, i) => f !== own[i])) {
      if (this.skipped !== run.id) {
        this.skipped = run.id;
        this.state.logger.warn('The A/B challenger reads other features than the champion; the stream scores with the champion alone.', {
          challenger: run.challenger,
        });
      }
      return null;
    }
    return { run, challenger: this.challenger };
  }

  /**
   * Scores one micro-batch (readings carry values in `loaded.model.features` order).
   * Result objects are built only when someone sends them on (`withResults`).
   */
  score(loaded: LiveVersion, readings: Reading[], startedAt: number, withResults = true): ScoredBatch {
    const { meta } = loaded;
    let { scores, flags } = scoreWith(loaded, readings);
    let ab: ScoredBatch['ab'];
    if (loaded.ab) {
      const { run, challenger } = loaded.ab;
      // Every reading, whatever its arm: a contextual challenger needs each building's whole sequence.
      const other = scoreWith(challenger, readings);
      const arms = run.mode === 'ab' ? routeLiveReadings(run, readings) : null;
      if (arms) ({ scores, flags } = mergeArms(arms, { scores, flags }, other));
      ab = { run, version: challenger.meta.version, arms, shadow: arms ? null : other };
    }
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
        version: ab?.arms?.[i] ? ab.version : meta.version,
      };
    }
    return {
      readings,
      scores,
      flags,
      results,
      model: meta.model,
      version: meta.version,
      features: loaded.features,
      latencyMs,
      ...(ab ? { ab } : {}),
    };
  }
}

function scoreWith(loaded: LiveVersion, readings: Reading[]): { scores: Float64Array; flags: Uint8Array } {
  const { detector } = loaded;
  return detector.kind === 'isolation-forest' ? scoreForest(detector, readings) : loaded.contextual!.score(readings);
}

/** The arms of live readings, keyed as a file's rows are (routeRows): by building id, else by the reading's own key. */
function routeLiveReadings(run: AbRun, readings: Reading[]): Uint8Array {
  return routeReadings(readings.length, run, {
    keyOf: (i) => {
      const r = readings[i]!;
      return run.by === 'building' && r.buildingId !== null ? r.buildingId : `${r.buildingId ?? ''}\u0001${r.time}`;
    },
  });
}

/** The parts of a scored batch the log keeps: one per arm (A/B), or the champion's and the shadow's. */
function armParts(b: ScoredBatch): ScoredBatch[] {
  if (!b.ab) return [b];
  const { ab, ...base } = b;
  if (!ab.arms)
    return [base, { ...base, version: ab.version, scores: ab.shadow!.scores, flags: ab.shadow!.flags, results: [], arm: 'shadow' }];
  const parts: ScoredBatch[] = [];
  for (const want of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < ab.arms.length; i++) if (ab.arms[i] === want) idx.push(i);
    if (idx.length === 0) continue;
    parts.push({
      ...base,
      version: want ? ab.version : b.version,
      arm: want ? 'challenger' : 'champion',
      readings: idx.map((i) => b.readings[i]!),
      scores: Float64Array.from(idx, (i) => b.scores[i]!),
      flags: Uint8Array.from(idx, (i) => b.flags[i]!),
      results: [],
    });
  }
  return parts;
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
    this.pending.push(...armParts(batch));
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
function mergeBatches(input: ScoredBatch[]): { batch: PredictionBatch; readings: Reading[] }[] {
  // Under an A/B or shadow run: each arm's parts together, in reading order, under one request id,
  // so a shadow's rows pair with the champion's row for row (the A/B report's agreement).
  const rank = (b: ScoredBatch): number => (b.arm === 'challenger' ? 1 : b.arm === 'shadow' ? 2 : 0);
  const routed = input.some((b) => b.arm !== undefined);
  const batches = routed ? [...input].sort((a, b) => rank(a) - rank(b)) : input;
  const requestId = routed ? randomUUID() : null;
  const out: { batch: PredictionBatch; readings: Reading[] }[] = [];
  let from = 0;
  for (let k = 1; k <= batches.length; k++) {
    const a = batches[from]!;
    const b = batches[k];
    if (b && b.model === a.model && b.version === a.version && b.features === a.features && b.arm === a.arm) continue;
    const group = batches.slice(from, k);
    out.push({ batch: toPredictionBatch(group, requestId ?? randomUUID()), readings: group.flatMap((g) => g.readings) });
    from = k;
  }
  return out;
}

function toPredictionBatch(group: ScoredBatch[], requestId: string): PredictionBatch {
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
    requestId,
    time: Date.now(),
    latencyMs,
    scores,
    flags,
    values,
    rowTimes,
    ...(first.arm && first.arm !== 'champion' ? { arm: first.arm } : {}),
  };
}
