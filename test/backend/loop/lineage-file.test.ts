import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { writeCsvAtomic } from '../../../src-main/backend/csv-file';
import { createJobContext } from '../../../src-main/backend/job';
import type { TrainingDataSummary } from '../../../src-main/contract/shared/registry';
import type { Table } from '../../../src-main/core/data/table';
import { checkRegistration } from '../../../src-main/core/registry/validate';
import { tempDir } from '../../helpers/backend';
import { runCli } from '../../helpers/cli';
import { loopBackend } from './loop-backend';
import { alwaysRetrainPolicy, retrainPass, trainedPart, whole } from './retrain-pass';
import { monthRows, simulatedYear, writeMonths } from './year-months';

// Production trained as `greenlens train --data winter.csv` does it: the file is read into a session dataset the
// registry does not keep. The version records the file, and a watch retrain's window reads it again while it holds
// the bytes production was trained on (ARCHITECTURE §4a), as it reads a kept dataset (lineage-dataset.test.ts).
let root = '';
let inbox = '';
let policy = '';
let winter = '';
let year: Table;
let b: ReturnType<typeof loopBackend>;

const version = async (v: string) => (await b.run('versions.list', {})).versions.find((x) => x.version === v)!;

const pass = (month: number) => retrainPass(b, { year, inbox, policy }, month);

beforeAll(async () => {
  root = tempDir('gl-lineage-file-');
  inbox = join(root, 'inbox');
  year = simulatedYear(3, 5);
  winter = join(root, 'winter.csv');
  await writeCsvAtomic(winter, monthRows(year, [1, 2]), createJobContext({ jobId: 'w', op: 'w' }));
  b = loopBackend(join(root, 'reg'));
  // Not kept, as `greenlens train --data` reads its file.
  const ds = await b.run('data.import', { path: winter, keep: false });
  await b.run('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', alias: 'production', trees: 50 });
  // Every pass retrains (the trigger is not under test).
  policy = alwaysRetrainPolicy(join(root, 'policy.json'));
});

describe('watch retrain window with the file production was trained on', () => {
  it('records the file a version was read from: path, size, sha256 and how it was read', async () => {
    const td = (await version('1.0.0')).trainingData;
    expect(td.datasetId).toBeUndefined();
    expect(td.file).toEqual({
      path: winter,
      bytes: statSync(winter).size,
      sha256: createHash('sha256').update(readFileSync(winter)).digest('hex'),
      read: {
        encoding: 'utf-8',
        delimiter: ',',
        decimal: '.',
        dateFormat: 'iso',
        missing: 'drop',
        roles: expect.objectContaining({ timestamp: 'timestamp', building_id: 'id', is_anomaly: 'label' }) as unknown,
      },
    });
  });

  it("trains the challenger on the champion's training file plus the folder's files inside the window", async () => {
    const r = await pass(3);
    const challenger = await version(r.version);
    expect(challenger.trainingData.rows).toBe(whole(year, [1, 2]) + trainedPart(year, 3));
    expect(r.reason).toContain('from 1 watched file(s) and file winter.csv');
    // A watch retrain records no file of its own: its rows are the folder's, and the walk goes on to 1.0.0's file.
    expect(challenger.trainingData.file).toBeUndefined();
    await b.run('versions.promote', { version: r.version, alias: 'production', reason: 'test: a champion trained by watch' });
    expect((await version((await pass(4)).version)).trainingData.rows).toBe(whole(year, [1, 2, 3]) + trainedPart(year, 4));
  });

  it('leaves the file out, with a warning, once it holds other bytes, and when it is gone', async () => {
    const warn = vi.spyOn(b.state.logger, 'warn');
    appendFileSync(winter, '\n');
    const changed = await pass(5);
    expect((await version(changed.version)).trainingData.rows).toBe(whole(year, [3, 4]) + trainedPart(year, 5));
    expect(changed.reason).not.toContain('winter.csv');
    expect(warn).toHaveBeenCalledWith(
      `watch: ${winter} (energy-anomaly 1.0.0 was trained on it) left out of the retrain window: it has changed since.`,
    );
    unlinkSync(winter);
    await pass(6);
    expect(warn).toHaveBeenCalledWith(
      `watch: ${winter} (energy-anomaly 1.0.0 was trained on it) left out of the retrain window: it is no longer there.`,
    );
  });

  it('records no file for a dataset whose file changed after the import, nor for a kept one', async () => {
    const spring = join(root, 'spring.csv');
    await writeCsvAtomic(spring, monthRows(year, [3]), createJobContext({ jobId: 's', op: 's' }));
    const other = loopBackend(join(root, 'reg-2'));
    const read = await other.run('data.import', { path: spring, keep: false });
    await writeCsvAtomic(spring, monthRows(year, [4]), createJobContext({ jobId: 's', op: 's' }));
    const changed = await other.run('model.train', { datasetId: read.id, algorithm: 'isolation-forest', trees: 20 });
    expect(changed.versionMeta.trainingData.file).toBeUndefined();
    const kept = await other.run('data.import', { path: spring, keep: true });
    const fromKept = await other.run('model.train', { datasetId: kept.id, algorithm: 'isolation-forest', trees: 20 });
    expect(fromKept.versionMeta.trainingData).toMatchObject({ datasetId: kept.id });
    expect(fromKept.versionMeta.trainingData.file).toBeUndefined();
  });

  it('refuses a trainingData.file that does not say how to read it again, naming the field', () => {
    const input = { model: 'm', params: {}, metrics: {}, artifact: '{}', reference: {} };
    const file = { path: '/data/winter.csv', bytes: 10, sha256: 'a'.repeat(64) };
    const trainingData = { rows: 1, columns: ['a'], sha256: 'a'.repeat(64), file };
    // As a hand-edited version.json would hold it.
    expect(() => checkRegistration({ ...input, trainingData: trainingData as unknown as TrainingDataSummary })).toThrow(
      'trainingData.file.read',
    );
    const read = {
      encoding: 'utf-8',
      delimiter: ';',
      decimal: ',',
      dateFormat: 'dd/mm/yyyy',
      missing: 'drop',
      roles: { t: 'timestamp' },
    } as const;
    expect(checkRegistration({ ...input, trainingData: { ...trainingData, file: { ...file, read } } }).trainingData.file?.read).toEqual(
      read,
    );
  });
});

describe('the held-out procedure through the CLI: greenlens train on a file, then greenlens watch', () => {
  it('the version greenlens train registers records its --data file, and the first watch retrain learns from it', async () => {
    const dir = tempDir('gl-lineage-file-cli-');
    const data = join(dir, 'winter.csv');
    const months = simulatedYear(3, 9);
    await writeCsvAtomic(data, monthRows(months, [1, 2]), createJobContext({ jobId: 'w', op: 'w' }));
    const reg = join(dir, 'R');
    const train = runCli(['train', '--registry', reg, '--data', data, '--json']);
    expect(train.code).toBe(0);
    expect((JSON.parse(train.stdout) as { trainingData: { file?: { path: string } } }).trainingData.file?.path).toBe(data);
    const folder = join(dir, 'inbox');
    await writeMonths(months, folder, [3]);
    const r = runCli(['watch', '--registry', reg, '--folder', folder, '--policy', policy, '--once', '--json']);
    expect(r.code).toBe(0);
    const retrain = (JSON.parse(r.stdout) as { processed: { actions: { type: string; reason: string }[] }[] }).processed[0]!.actions[0]!;
    expect(retrain.type).toBe('retrain');
    expect(retrain.reason).toMatch(/from 1 watched file\(s\) and file winter\.csv$/);
  }, 120_000);
});
