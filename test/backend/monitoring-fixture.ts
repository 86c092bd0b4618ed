/**
 * A registry with one trained version and helpers to log scored readings, built
 * with the core (simulator, isolation forest, profile, registry) and the
 * backend's prediction sink, so monitoring can be tested without train/score ops.
 *
 * "No drift" data: one simulation of 10 buildings × 84 days (20,160 hourly
 * readings), its rows split at random into a training half and a current half
 * (~10,000 each): the same buildings and weather, different readings. A different
 * simulator seed is *not* a no-drift control: it draws other buildings (size,
 * HVAC sensitivity, temperature offset) and other weather, which KS on 10,000
 * readings rightly flags. The heatwave run uses the same seed, so every column but
 * outdoor_temp_c, hvac_kw and total_kw is bit-identical to the baseline.
 */
import { createHash } from 'node:crypto';
import { createRng } from '../../src-main/core/data/rng';
import { DEFAULT_START, SIM_FEATURES, simulate } from '../../src-main/core/data/simulator';
import { getColumn, numericValues, type Table } from '../../src-main/core/data/table';
import { buildReferenceProfile } from '../../src-main/core/drift/profile';
import { fitIsolationForest, modelToJson, predict, scoreSamples, type IForestModel } from '../../src-main/core/model';
import { Registry } from '../../src-main/core/registry';
import { closePredictionLog, logPredictions } from '../../src-main/backend/prediction-sink';
import { createState, type BackendState } from '../../src-main/backend/state';
import { DEFAULT_SETTINGS, type Settings } from '../../src-main/contract/settings';

export const MODEL = 'energy-anomaly';
export const FEATURES: string[] = [...SIM_FEATURES];

export interface Fixture {
  dir: string;
  version: string;
  model: IForestModel;
  baseline: Table;
  heatwave: Table;
  /** 1 = training row, 0 = current row. */
  trainMask: Uint8Array;
}

export interface FixtureOptions {
  buildings?: number;
  days?: number;
  seed?: number;
  trees?: number;
}

export function columnsOf(table: Table, mask: Uint8Array | null, keep: 0 | 1 = 1): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const f of FEATURES) {
    const v = numericValues(getColumn(table, f)!);
    out[f] = mask ? v.filter((_, i) => mask[i] === keep) : v;
  }
  return out;
}

export async function buildFixture(dir: string, opts: FixtureOptions = {}): Promise<Fixture> {
  const seed = opts.seed ?? 42;
  const sim = { buildings: opts.buildings ?? 10, days: opts.days ?? 84, seed, anomalyRate: 0.01, start: DEFAULT_START };
  const baseline = simulate({ ...sim, drift: 'none' });
  const heatwave = simulate({ ...sim, drift: 'heatwave' });
  const rng = createRng(seed + 1);
  const trainMask = Uint8Array.from({ length: baseline.rowCount }, () => (rng.next() < 0.5 ? 1 : 0));
  const train = columnsOf(baseline, trainMask, 1);
  // contamination 0.01: flag the top 1% of training scores, as a trained model would be set up.
  const model = fitIsolationForest(
    FEATURES.map((f) => train[f]!),
    FEATURES,
    { nTrees: opts.trees ?? 50, seed, contamination: 0.01 },
  );
  const registry = await Registry.openOrCreate(dir);
  const rows = train[FEATURES[0]!]!.length;
  const meta = await registry.registerVersion({
    model: MODEL,
    params: { trees: opts.trees ?? 50, sampleSize: 256, contamination: 0.01, seed, features: FEATURES },
    metrics: { trainingRows: rows },
    trainingData: {
      rows,
      columns: FEATURES,
      sha256: createHash('sha256').update(`sim-${seed}`).digest('hex'),
      source: `simulator seed ${seed}`,
    },
    artifact: modelToJson(model),
    reference: buildReferenceProfile(train),
  });
  return { dir, version: meta.version, model, baseline, heatwave, trainMask };
}

export interface LogOptions {
  /** Readings per scoring request (default 240 = one day of 10 buildings). */
  perRequest?: number;
  /** Request time of the first request. */
  t0?: number;
  /** Between requests (default one minute). */
  spacingMs?: number;
  latencyMs?: (k: number) => number;
  version?: string;
  /** Only the first n current rows. */
  limit?: number;
}

/** Scores the current (non-training) half of a scenario with the real model and logs it through the prediction sink. */
export async function logScenario(state: BackendState, fx: Fixture, scenario: 'none' | 'heatwave', opts: LogOptions = {}): Promise<number> {
  const table = scenario === 'none' ? fx.baseline : fx.heatwave;
  const cols = columnsOf(table, fx.trainMask, 0);
  const times = numericValues(getColumn(table, 'timestamp')!).filter((_, i) => fx.trainMask[i] === 0);
  const labels = numericValues(getColumn(table, 'is_anomaly')!).filter((_, i) => fx.trainMask[i] === 0);
  const n = Math.min(opts.limit ?? times.length, times.length);
  const per = opts.perRequest ?? 240;
  const spacing = opts.spacingMs ?? 60_000;
  const t0 = opts.t0 ?? Date.now() - Math.ceil(n / per) * spacing;
  const latency = opts.latencyMs ?? ((k: number) => 4 + (k % 5));
  for (let k = 0, start = 0; start < n; k++, start += per) {
    const end = Math.min(n, start + per);
    const values = FEATURES.map((f) => cols[f]!.slice(start, end));
    const scores = scoreSamples(fx.model, values);
    await logPredictions(state, {
      model: MODEL,
      version: opts.version ?? fx.version,
      features: FEATURES,
      requestId: `${scenario}-${k}`,
      time: t0 + k * spacing,
      latencyMs: latency(k),
      scores,
      flags: predict(fx.model, scores),
      labels: Int8Array.from(labels.slice(start, end)),
      values,
      rowTimes: times.slice(start, end),
    });
  }
  // The log's write handles are closed here: a spec that drops the state would leave them to the garbage collector.
  await closePredictionLog(state);
  return n;
}

export function sinkState(dir: string, settings: Settings = DEFAULT_SETTINGS): BackendState {
  return createState({ registryPath: dir, settings });
}
