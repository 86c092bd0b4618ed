import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/backend/dispatch';
import { createJobContext } from '../../src-main/backend/job';
import { startScoreAhead } from '../../src-main/backend/model/score-ahead';
import { createState, type BackendState } from '../../src-main/backend/state';
import type { DatasetInfo } from '../../src-main/contract/ops/data';
import type { ScoreResult } from '../../src-main/contract/ops/model';
import { isShared } from '../../src-main/core/data/column-memory';
import { importCsv, type RowsTap } from '../../src-main/core/data/csv-import';
import { csvText } from '../../src-main/core/data/csv-write';
import { DEFAULT_START, simulate } from '../../src-main/core/data/simulator';
import { PredictionLog } from '../../src-main/core/monitoring/prediction-log';
import { closePredictionLog } from '../../src-main/backend/prediction-sink';
import { tempDir } from '../helpers/backend';
import { fileURLToPath } from 'node:url';

const workerScript = fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url));
const FEATURES = ['outdoor_temp_c', 'humidity_pct', 'occupancy', 'hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'];

/**
 * Scoring while the file is read (score-ahead.ts, issue 8): the rows handed
 * out in batches of 16,384 and scored on the pooled thread must give exactly
 * the output of scoring the finished table in one go.
 */
describe('scoring while the file is read', () => {
  const dir = tempDir('gl-score-ahead-');
  // 70 buildings × 30 days hourly = 50,400 rows: three whole batches and a partial tail.
  const table = simulate({ buildings: 70, days: 30, seed: 5, anomalyRate: 0.02, drift: 'none', start: DEFAULT_START });
  const lines = csvText(table).split('\n');
  const header = lines[0]!.split(',');
  const hvac = header.indexOf('hvac_kw');
  // Rows with a missing feature are dropped: one in the first batch and one in the third shift every row after them.
  for (const line of [40, 33_000]) {
    const cells = lines[line]!.split(',');
    cells[hvac] = '';
    lines[line] = cells.join(',');
  }
  const data = join(dir, 'readings.csv');
  writeFileSync(data, lines.join('\n'));
  const ctx = createJobContext({ jobId: 'test', op: 'test' });
  const states: BackendState[] = [];
  const stateFor = (registry: string): BackendState => {
    const state = createState({ registryPath: registry, tempDir: join(dir, 'tmp'), scoreWorkerScript: workerScript });
    states.push(state);
    return state;
  };
  afterAll(async () => {
    await Promise.all(states.map(closePredictionLog));
  });

  const trained = join(dir, 'trained');
  const ready = (async () => {
    const state = stateFor(trained);
    const ds = (await dispatch('data.import', { path: data, keep: false }, ctx, state)) as DatasetInfo;
    await dispatch(
      'model.train',
      { algorithm: 'isolation-forest', datasetId: ds.id, trees: 40, normalize: 'none', features: FEATURES },
      ctx,
      state,
    );
  })();

  async function scoreIn(
    name: string,
    ahead: 'no' | 'both threads' | 'pooled thread only',
  ): Promise<{ result: ScoreResult; state: BackendState; registry: string; out: string }> {
    await ready;
    const registry = join(dir, name);
    cpSync(trained, registry, { recursive: true });
    const state = stateFor(registry);
    if (ahead !== 'no') await startScoreAhead(state, {}, ahead === 'both threads');
    const ds = (await dispatch('data.import', { path: data, keep: false }, ctx, state)) as DatasetInfo;
    const out = join(dir, `${name}.csv`);
    const scoring: number[] = [];
    const scoreCtx = createJobContext({
      jobId: 'score',
      op: 'model.score',
      onProgress: (phase, done) => {
        if (phase === 'scoring') scoring.push(done);
      },
    });
    const result = (await dispatch('model.score', { datasetId: ds.id, log: true, out }, scoreCtx, state)) as ScoreResult;
    // Progress moves and ends at every row, whichever thread scored them.
    for (let i = 1; i < scoring.length; i++) expect(scoring[i]).toBeGreaterThan(scoring[i - 1]!);
    expect(scoring.at(-1)).toBe(result.rows);
    return { result, state, registry, out };
  }

  it('writes the same scored CSV, log and summary as scoring the finished table', async () => {
    const once = await scoreIn('once', 'no');
    const strip = (r: ScoreResult): unknown => ({
      ...r,
      datasetId: '',
      latencyMs: 0,
      requestId: '',
      threads: 0,
      out: { ...r.out, path: '' },
    });
    const logged = async (registry: string) => {
      const log = await PredictionLog.open(join(registry, 'predictions'));
      const c = await log.readLast(100_000);
      await log.close();
      return { time: c.time, score: c.score, flag: c.flag, label: c.label, building: c.building, features: c.features };
    };
    expect(once.result.rows).toBe(50_398);
    expect(once.result.threads).toBe(1);
    for (const mode of ['pooled thread only', 'both threads'] as const) {
      const early = await scoreIn(mode === 'both threads' ? 'both' : 'pooled', mode);
      // Every batch scored on the pooled thread: the scores did come from the batches.
      if (mode === 'pooled thread only') expect(early.result.threads).toBe(2);
      expect(readFileSync(early.out).equals(readFileSync(once.out))).toBe(true);
      expect(strip(early.result)).toEqual(strip(once.result));
      expect(await logged(early.registry)).toEqual(await logged(once.registry));
      expect(early.state.scoreAhead).toBeNull();
    }
  }, 120_000);

  it('a bad row after several batches fails the import with the same error, writes nothing and releases the thread', async () => {
    await ready;
    const bad = [...lines];
    bad[45_000] = bad[45_000] + ',extra';
    const badFile = join(dir, 'bad.csv');
    writeFileSync(badFile, bad.join('\n'));
    const errorOf = async (ahead: boolean): Promise<unknown> => {
      const registry = join(dir, ahead ? 'bad-early' : 'bad-once');
      cpSync(trained, registry, { recursive: true });
      const state = stateFor(registry);
      if (ahead) {
        await startScoreAhead(state, {});
        expect(state.scoreAhead).not.toBeNull();
      }
      const error = await dispatch('data.import', { path: badFile, keep: false }, ctx, state).then(
        () => null,
        (e: unknown) => e,
      );
      expect(state.scoreAhead).toBeNull();
      // Nothing logged.
      const predictions = join(registry, 'predictions');
      expect(existsSync(predictions) ? readdirSync(predictions).filter((f) => f.endsWith('.glp')) : []).toEqual([]);
      return error;
    };
    const early = await errorOf(true);
    const once = await errorOf(false);
    expect(early).toBeInstanceOf(Error);
    expect(String(early)).toMatch(/line 45001.*expected 11 fields \(as in the header\), found 12/);
    expect(early).toEqual(once);
  }, 120_000);
});

describe('RowsTap', () => {
  it('hands out every kept row once, in order, with the values of the finished table; none when values are filled', async () => {
    const dir = tempDir('gl-rows-tap-');
    const rows = ['t,x,y'];
    for (let i = 0; i < 2500; i++) rows.push(`${i},${i % 7 === 3 ? '' : i * 0.5},${i % 11}`);
    const file = join(dir, 'r.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const seen: { from: number; to: number; x: number[] }[] = [];
    const tap: RowsTap = {
      every: 1000,
      ready: (from, to, numbers) => {
        expect(numbers('nope')).toBeNull();
        seen.push({ from, to, x: Array.from(numbers('x')!.subarray(from, to)) });
      },
    };
    const r = await importCsv(file, { roles: { t: 'ignored', x: 'feature', y: 'feature' } }, { rows: tap });
    // 2500 rows less the 357 with no x: 2143 kept, two whole batches handed out.
    expect(r.table.rowCount).toBe(2143);
    expect(seen.map((b) => [b.from, b.to])).toEqual([
      [0, 1000],
      [1000, 2000],
    ]);
    const x = r.table.columns.find((c) => c.name === 'x')!;
    expect(x.kind).toBe('number');
    if (x.kind !== 'number') return;
    expect(seen.flatMap((b) => b.x)).toEqual(Array.from(x.values.subarray(0, 2000)));
    // A smaller first batch, then every 1000 rows.
    const firstSeen: number[][] = [];
    await importCsv(
      file,
      { roles: { t: 'ignored', x: 'feature', y: 'feature' } },
      { rows: { every: 1000, first: 100, ready: (from, to) => firstSeen.push([from, to]) } },
    );
    expect(firstSeen).toEqual([
      [0, 100],
      [100, 1100],
      [1100, 2100],
    ]);
    // Shared memory: every column of the table is there, and views kept from `ready` hold the finished rows even
    // after the columns grew (the sample's short rows made the first estimate too small).
    const growing = ['t,x,c'];
    for (let i = 0; i < 3000; i++) growing.push(i < 20 ? `${i},${i},a` : `meter-${'0'.repeat(24)}${i},${i + 0.123456789},bb`);
    const growFile = join(dir, 'grow.csv');
    writeFileSync(growFile, growing.join('\n') + '\n');
    const kept: { from: number; view: Float64Array }[] = [];
    const shared = await importCsv(
      growFile,
      { roles: { t: 'ignored', x: 'feature', c: 'ignored' }, sampleRows: 20 },
      { rows: { every: 500, memory: 'shared', ready: (from, to, numbers) => kept.push({ from, view: numbers('x')!.subarray(from, to) }) } },
    );
    expect(shared.table.rowCount).toBe(3000);
    expect(shared.table.columns.map((c) => isShared(c.kind === 'category' ? c.codes : c.values))).toEqual([true, true, true]);
    const sx = shared.table.columns.find((c) => c.name === 'x')!;
    if (sx.kind !== 'number') throw new Error('x is not a number column');
    expect(kept.length).toBe(6);
    for (const k of kept) expect(Array.from(k.view)).toEqual(Array.from(sx.values.subarray(k.from, k.from + k.view.length)));
    expect(kept.some((k) => k.view.buffer !== sx.values.buffer)).toBe(true);
    const own = await importCsv(growFile, { roles: { t: 'ignored', x: 'feature', c: 'ignored' }, sampleRows: 20 });
    expect(own.table.columns.some((c) => isShared(c.kind === 'category' ? c.codes : c.values))).toBe(false);
    expect(shared.table).toEqual(own.table);
    const filled: unknown[] = [];
    await importCsv(file, { missing: 'impute-zero' }, { rows: { every: 1000, ready: (from) => filled.push(from) } });
    expect(filled).toEqual([]);
  });
});
