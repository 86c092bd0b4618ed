import { createHash } from 'node:crypto';
import { getColumn, numericValues } from '../../src-main/core/data/table';
import { DEFAULT_START, simulate, SIM_FEATURES } from '../../src-main/core/data/simulator';
import { buildReferenceProfile } from '../../src-main/core/drift/profile';
import { fitIsolationForest, modelToJson } from '../../src-main/core/model';
import { Registry } from '../../src-main/core/registry';
import type { VersionMeta } from '../../src-main/contract/ops/registry';

/**
 * A registry with realistic versions registered through the core (real fitted
 * forests and reference profiles, so scoring and drift work on them too), shared by the backend, CLI and e2e tests.
 */
export interface FixtureVersion {
  trees: number;
  sampleSize: number;
  contamination: 'auto' | number;
  rocAuc: number;
  f1: number;
  trainingMs: number;
  rows: number;
}

export const FIXTURE_VERSIONS: FixtureVersion[] = [
  { trees: 100, sampleSize: 256, contamination: 'auto', rocAuc: 0.861, f1: 0.512, trainingMs: 410, rows: 2016 },
  { trees: 200, sampleSize: 256, contamination: 0.01, rocAuc: 0.902, f1: 0.583, trainingMs: 790, rows: 4032 },
  { trees: 200, sampleSize: 512, contamination: 0.02, rocAuc: 0.884, f1: 0.601, trainingMs: 1320, rows: 4032 },
];

const FEATURES = SIM_FEATURES;

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A small simulated training set (3 buildings × 7 days), made once per process. */
let training: Float64Array[] | null = null;
function trainingColumns(): Float64Array[] {
  if (!training) {
    const table = simulate({ buildings: 3, days: 7, seed: 7, anomalyRate: 0.01, drift: 'none', start: DEFAULT_START });
    training = FEATURES.map((f) => numericValues(getColumn(table, f)!));
  }
  return training;
}

/** Registers a real fitted forest and reference profile; metrics are the fixture's known numbers. */
export async function registerFixtureVersion(
  registry: Registry,
  v: FixtureVersion,
  seed: number,
  model = 'energy-anomaly',
): Promise<VersionMeta> {
  const columns = trainingColumns();
  const forest = fitIsolationForest(columns, [...FEATURES], {
    nTrees: v.trees,
    maxSamples: v.sampleSize,
    contamination: v.contamination,
    seed,
  });
  const reference = buildReferenceProfile(Object.fromEntries(FEATURES.map((f, i) => [f, columns[i]!])));
  return registry.registerVersion({
    model,
    params: {
      algorithm: 'isolation-forest',
      features: [...FEATURES],
      label: 'is_anomaly',
      trees: v.trees,
      sampleSize: v.sampleSize,
      subsample: forest.subsample,
      contamination: v.contamination,
      seed,
      holdout: 0.2,
      threshold: forest.threshold,
    },
    metrics: { rocAuc: v.rocAuc, f1: v.f1, precision: v.f1 + 0.05, recall: v.f1 - 0.04, anomalyRate: 0.012, trainingMs: v.trainingMs },
    trainingData: { rows: v.rows, columns: [...FEATURES], sha256: sha(`data-${v.rows}-${seed}`), source: `simulate --seed ${seed}` },
    tags: seed === 1 ? ['baseline'] : [],
    description: seed === 1 ? 'First model on three buildings.' : '',
    artifact: modelToJson(forest),
    reference,
  });
}

/** Creates `dir` as a registry holding FIXTURE_VERSIONS as 1.0.0, 1.0.1, 1.0.2. */
export async function buildFixtureRegistry(dir: string, count = FIXTURE_VERSIONS.length): Promise<Registry> {
  const registry = await Registry.create(dir);
  for (let i = 0; i < count; i++) await registerFixtureVersion(registry, FIXTURE_VERSIONS[i]!, i + 1);
  return registry;
}
