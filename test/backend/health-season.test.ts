import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/backend/dispatch';
import { createJobContext } from '../../src-main/backend/job';
import { createState } from '../../src-main/backend/state';
import type { DatasetInfo } from '../../src-main/contract/ops/data';
import type { DriftResult, HealthResult } from '../../src-main/contract/ops/monitoring';
import { BUILDING_KINDS } from '../../src-main/core/data/building-kinds';
import { csvText } from '../../src-main/core/data/csv-write';
import { filterRows, getColumn, numericValues } from '../../src-main/core/data/table';
import { DEFAULT_YEAR_START, simulateYears } from '../../src-main/core/data/year-simulator';
import { tempDir } from '../helpers/backend';

const YEAR_MS = 365 * 86_400_000;
const DAY_MS = 86_400_000;

/**
 * A new user's first hour with seasonal data: train on year 1, score year 2.
 * The last 10,000 readings are November and December; against the whole
 * training year every feature of a winter window drifts, and health called a
 * model that finds the faults critical and advised retraining on ten winter
 * weeks. Against the same weeks of the training year it is not critical, and
 * any retrain advice covers a whole year.
 */
describe('health of a version trained on a year, after scoring the next one', () => {
  const dir = tempDir('gl-health-season-');
  const table = simulateYears({ buildings: 4, years: 2, seed: 21, anomalyRate: 0.01, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
  const time = numericValues(getColumn(table, 'timestamp')!);
  const yearOf = (y: 0 | 1): Uint8Array => Uint8Array.from(time, (t) => (Math.floor((t - DEFAULT_YEAR_START) / YEAR_MS) === y ? 1 : 0));
  const files = ([0, 1] as const).map((y) => {
    const path = join(dir, `year-${y + 1}.csv`);
    writeFileSync(path, csvText(filterRows(table, yearOf(y))));
    return path;
  });
  const ctx = createJobContext({ jobId: 'test', op: 'test' });
  const state = createState({ registryPath: join(dir, 'registry'), tempDir: join(dir, 'tmp') });
  const run = async <T>(op: string, args: object): Promise<T> => (await dispatch(op as 'data.import', args as never, ctx, state)) as T;

  it('is healthy against the same weeks; an autumn 5 °C warmer drifts, and the retrain it advises covers a year', async () => {
    const y1 = await run<DatasetInfo>('data.import', { path: files[0], keep: false });
    await run('model.train', { datasetId: y1.id });
    const y2 = await run<DatasetInfo>('data.import', { path: files[1], keep: false });
    await run('model.score', { datasetId: y2.id, log: true });
    const h = await run<HealthResult>('monitoring.health', { model: 'energy-anomaly' });
    expect(h.status).toBe('healthy');
    expect(h.drift!.season!.rows).toBeGreaterThan(500);
    expect(h.drift!.driftedFeatures).toEqual([]);
    // The window is the last 10,000 readings: the end of year 2.
    expect(h.drift!.toMs).toBe(DEFAULT_YEAR_START + 2 * YEAR_MS - 3_600_000);

    // The Drift tab's report over the same window says what it compared with; without times it is the whole year.
    const d = await run<DriftResult>('drift.report', { model: 'energy-anomaly', current: { lastN: 10_000 } });
    expect(d.referenceSource).toBe('season');
    expect(d.season).toEqual(h.drift!.season);
    expect(d.driftedFeatures).toEqual(h.drift!.driftedFeatures);
    // So does the HTML report.
    const html = join(dir, 'report.html');
    await run('report.build', { model: 'energy-anomaly', path: html });
    expect(readFileSync(html, 'utf8')).toContain('against the training readings of the same weeks of the year of 1.0.0');
    const whole = await run<DriftResult>('drift.report', { model: 'energy-anomaly', current: { datasetId: y2.id } });
    expect(whole.referenceSource).toBe('profile');
    expect(whole.current.rows).toBe(365 * 24 * 4);

    // An autumn 5 °C warmer than the last one does drift against the same weeks; the retrain advised covers a year.
    const autumn = filterRows(
      table,
      Uint8Array.from(time, (t) => (t >= DEFAULT_YEAR_START + 2 * YEAR_MS - 70 * DAY_MS ? 1 : 0)),
    );
    const warmer = {
      ...autumn,
      columns: autumn.columns.map((c) =>
        c.name === 'outdoor_temp_c' && c.kind === 'number' ? { ...c, values: c.values.map((v) => v + 5) } : c,
      ),
    };
    const path = join(dir, 'warm-autumn.csv');
    writeFileSync(path, csvText(warmer));
    const warm = await run<DatasetInfo>('data.import', { path, keep: false });
    await run('model.score', { datasetId: warm.id, log: true });
    const after = await run<HealthResult>('monitoring.health', { model: 'energy-anomaly' });
    expect(after.drift!.season).toBeDefined();
    expect(after.drift!.driftedFeatures).toContain('outdoor_temp_c');
    expect(after.actions).toHaveLength(1);
    expect(after.actions![0]!.toMs - after.actions![0]!.fromMs).toBe(YEAR_MS);
    expect(after.recommendations.find((r) => r.startsWith('Retrain on'))).toMatch(/^Retrain on the last 365 days: /);
  }, 120_000);
});
