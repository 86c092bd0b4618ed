import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { writeCsvAtomic } from '../../../src-main/backend/csv-file';
import { createJobContext } from '../../../src-main/backend/job';
import type { Table } from '../../../src-main/core/data/table';
import { checkRegistration } from '../../../src-main/core/registry/validate';
import { tempDir } from '../../helpers/backend';
import { loopBackend } from './loop-backend';
import { alwaysRetrainPolicy, retrainPass, trainedPart, whole } from './retrain-pass';
import { monthRows, simulatedYear, writeMonths } from './year-months';

// A watch retrain also learns from the kept registry dataset production's lineage was trained on (ARCHITECTURE §4a).
const BUILDINGS = 3;
let root = '';
let inbox = '';
let policy = '';
let year: Table;
let b: ReturnType<typeof loopBackend>;
let winterId = '';

const version = async (v: string) => (await b.run('versions.list', {})).versions.find((x) => x.version === v)!;

const pass = (month: number) => retrainPass(b, { year, inbox, policy }, month);

beforeAll(async () => {
  root = tempDir('gl-lineage-data-');
  inbox = join(root, 'inbox');
  year = simulatedYear(BUILDINGS, 5);
  const winter = join(root, 'winter.csv');
  await writeCsvAtomic(winter, monthRows(year, [1, 2]), createJobContext({ jobId: 'w', op: 'w' }));
  b = loopBackend(join(root, 'reg'));
  // Kept, as the app imports by default.
  winterId = (await b.run('data.import', { path: winter, keep: true })).id;
  await b.run('model.train', { datasetId: winterId, algorithm: 'isolation-forest', alias: 'production', trees: 50 });
  // Every pass retrains (the trigger is not under test).
  policy = alwaysRetrainPolicy(join(root, 'policy.json'));
});

describe('watch retrain window with the lineage dataset', () => {
  it('records the kept dataset a version was trained on', async () => {
    expect((await version('1.0.0')).trainingData.datasetId).toBe(winterId);
  });

  it("trains the challenger on the champion's kept dataset plus the folder's files inside the window", async () => {
    const r = await pass(3);
    const challenger = await version(r.version);
    // January–February (the kept dataset, wholly inside 365 days) + March up to its evaluation week.
    expect(challenger.trainingData.rows).toBe(whole(year, [1, 2]) + trainedPart(year, 3));
    expect(challenger.trainingData.datasetId).toBeUndefined();
    expect(r.reason).toContain(`from 1 watched file(s) and dataset ${winterId} ("winter")`);
    expect(challenger.lineage?.reason).toBe(r.reason);
  });

  it('walks lineage.parent to the first version with a kept dataset', async () => {
    const march = (await b.run('versions.list', {})).versions.at(-1)!.version;
    await b.run('versions.promote', { version: march, alias: 'production', reason: 'test: a champion without its own dataset' });
    const r = await pass(4);
    expect((await version(r.version)).trainingData.rows).toBe(whole(year, [1, 2, 3]) + trainedPart(year, 4));
  });

  it('skips a deleted dataset with a warning, and trains on the folder files alone', async () => {
    await b.run('data.delete', { datasetId: winterId });
    const warn = vi.spyOn(b.state.logger, 'warn');
    const r = await pass(5);
    expect((await version(r.version)).trainingData.rows).toBe(whole(year, [3, 4]) + trainedPart(year, 5));
    expect(r.reason).toContain('from 3 watched file(s)');
    expect(r.reason).not.toContain('dataset');
    expect(warn).toHaveBeenCalledWith(
      `watch: dataset ${winterId} (energy-anomaly 1.0.0 was trained on it) left out of the retrain window: it is no longer in the registry.`,
    );
  });

  it('counts a reading once when the kept dataset also holds a watched file: the file wins for the data time it covers', async () => {
    const spring = join(root, 'jan-mar.csv');
    await writeCsvAtomic(spring, monthRows(year, [1, 2, 3]), createJobContext({ jobId: 's', op: 's' }));
    const other = loopBackend(join(root, 'reg-2'));
    const id = (await other.run('data.import', { path: spring, keep: true })).id;
    await other.run('model.train', { datasetId: id, algorithm: 'isolation-forest', alias: 'production', trees: 50 });
    const folder = join(root, 'inbox-2');
    await writeMonths(year, folder, [3]);
    const r = (await other.run('watch.run', { folder, policyPath: policy, settleMs: 0 })).processed[0]!.actions[0]!;
    expect(r.type).toBe('retrain');
    const v = (await other.run('versions.list', {})).versions.find((x) => x.version === r.version)!;
    // January–February from the dataset; March from the file only (its evaluation week held out), not twice.
    expect(v.trainingData.rows).toBe(whole(year, [1, 2]) + trainedPart(year, 3));
  });

  it('refuses a trainingData.datasetId that is not a dataset id, naming the field', () => {
    const input = { model: 'm', params: {}, metrics: {}, artifact: '{}', reference: {} };
    const trainingData = { rows: 1, columns: ['a'], sha256: 'a'.repeat(64), datasetId: '../../elsewhere' };
    expect(() => checkRegistration({ ...input, trainingData })).toThrow(
      'trainingData.datasetId: expected a dataset id (letters, digits, _ and -)',
    );
    expect(checkRegistration({ ...input, trainingData: { ...trainingData, datasetId: 'ds-abc_1' } }).trainingData.datasetId).toBe(
      'ds-abc_1',
    );
    const { datasetId: _old, ...withoutId } = trainingData;
    expect(checkRegistration({ ...input, trainingData: withoutId }).trainingData.datasetId).toBeUndefined();
  });
});
