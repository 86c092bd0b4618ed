// The file and registry of issue 8's score benchmark (not a benchmark itself: no .bench.ts suffix), shared by
// score-cli.bench.ts (against pandas) and score-instructions.bench.ts (instruction counts).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_START, simulate } from '../src-main/core/data/simulator';
import { filterRows } from '../src-main/core/data/table';
import { greenlens, writeCsv } from './cli-run';

export const SCORE_ROWS = 200_000;
export const SCORE_FEATURES = ['outdoor_temp_c', 'humidity_pct', 'occupancy', 'hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'];
export const SCORE_TREES = 100;
export const SCORE_SAMPLE = 256;

export interface ScoreFixture {
  /** A temporary folder holding the rest; the caller removes it. */
  dir: string;
  data: string;
  /** A registry with one forest trained on `data`. */
  registry: string;
  /** The forest's flagging threshold (pandas flags with the same). */
  threshold: number;
}

/** 278 buildings × 30 days hourly = 200,160 rows, the first 200,000 kept, as CSV; a forest trained on it. */
export async function scoreFixture(): Promise<ScoreFixture> {
  const sim = simulate({ buildings: 278, days: 30, seed: 11, anomalyRate: 0.01, drift: 'none', start: DEFAULT_START });
  const keep = new Uint8Array(sim.rowCount);
  keep.fill(1, 0, SCORE_ROWS);
  const dir = await mkdtemp(join(tmpdir(), 'gl-score-'));
  const data = join(dir, 'readings.csv');
  await writeCsv(data, filterRows(sim, keep));
  const registry = join(dir, 'registry');
  const train = greenlens([
    'train',
    '--registry',
    registry,
    '--data',
    data,
    '--features',
    SCORE_FEATURES.join(','),
    '--trees',
    String(SCORE_TREES),
    '--sample-size',
    String(SCORE_SAMPLE),
    '--normalize',
    'none',
    // The comparison is forest against forest: timestamped data would otherwise get the contextual detector.
    '--algorithm',
    'isolation-forest',
    '--json',
  ]);
  const threshold = (JSON.parse(train.stdout) as { params: { threshold: number } }).params.threshold;
  return { dir, data, registry, threshold };
}
