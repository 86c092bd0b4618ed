import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GreenLensError } from '../../../src-main/contract/shared/errors';
import { Registry } from '../../../src-main/core/registry/registry';
import { sampleInput } from './helpers/fixtures';
import { tempDir } from './helpers/temp';

async function fresh(): Promise<Registry> {
  return Registry.create(path.join(await tempDir(), 'reg'));
}

async function caught(promise: Promise<unknown>): Promise<GreenLensError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GreenLensError);
  return error as GreenLensError;
}

describe('creating and opening', () => {
  it('create writes a v1 manifest; open accepts the folder or the manifest file', async () => {
    const registry = await fresh();
    const manifest = JSON.parse(await fs.readFile(registry.manifestFile, 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ format: 'greenlens-registry', formatVersion: 1, models: {} });
    expect((await Registry.open(registry.manifestFile)).dir).toBe(registry.dir);
    expect((await Registry.openOrCreate(registry.dir)).dir).toBe(registry.dir);
    expect((await caught(Registry.create(registry.dir))).code).toBe('conflict');
    expect(await fs.readdir(registry.dir)).not.toContain('.lock');
  });

  it('refuses to create in a non-empty folder and to open a folder that is not a registry', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'notes.txt'), 'hello');
    expect((await caught(Registry.create(dir))).info.file).toBe(dir);
    const error = await caught(Registry.open(dir));
    expect(error.code).toBe('not_found');
    expect(error.info.file).toBe(path.join(dir, 'greenlens-registry.json'));
    expect((await caught(Registry.open(path.join(dir, 'missing')))).code).toBe('not_found');
  });

  it('openOrCreate creates when there is nothing yet', async () => {
    const dir = path.join(await tempDir(), 'a', 'b');
    const registry = await Registry.openOrCreate(dir);
    expect(await registry.listModels()).toEqual([]);
  });
});

describe('versions', () => {
  it('auto-increments the patch from the highest version and refuses duplicates', async () => {
    const registry = await fresh();
    expect((await registry.registerVersion(sampleInput('ahu', 1))).version).toBe('1.0.0');
    expect((await registry.registerVersion(sampleInput('ahu', 2, { version: '1.4.9' }))).version).toBe('1.4.9');
    expect((await registry.registerVersion(sampleInput('ahu', 3, { version: '1.2.0' }))).version).toBe('1.2.0');
    expect((await registry.registerVersion(sampleInput('ahu', 4))).version).toBe('1.4.10');
    const dup = await caught(registry.registerVersion(sampleInput('ahu', 5, { version: '1.2.0' })));
    expect(dup.code).toBe('conflict');
    expect(dup.info.field).toBe('version');
    expect((await registry.listVersions('ahu')).map((v) => v.version)).toEqual(['1.0.0', '1.2.0', '1.4.9', '1.4.10']);
  });

  it('writes the documented layout and version.json fields', async () => {
    const registry = await fresh();
    const input = sampleInput('ahu', 1);
    const meta = await registry.registerVersion(input);
    const folder = path.join(registry.dir, 'models/ahu/versions/1.0.0');
    expect((await fs.readdir(folder)).sort()).toEqual(['model.json', 'reference.json', 'version.json']);
    const stored = JSON.parse(await fs.readFile(path.join(folder, 'version.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(
      ['artifact', 'createdAt', 'description', 'metrics', 'model', 'params', 'reference', 'tags', 'trainingData', 'version'].sort(),
    );
    expect(stored.artifact).toEqual({
      file: 'model.json',
      sha256: meta.artifact.sha256,
      bytes: Buffer.byteLength(input.artifact as string),
    });
    expect(await fs.readFile(path.join(folder, 'model.json'), 'utf8')).toBe(input.artifact);
    expect(meta).toMatchObject({
      model: 'ahu',
      version: '1.0.0',
      params: input.params,
      metrics: input.metrics,
      tags: ['nightly'],
      aliases: [],
      archived: false,
    });
  });

  it('only tags and description change, atomically, and the rest stays byte-identical', async () => {
    const registry = await fresh();
    const meta = await registry.registerVersion(sampleInput('ahu', 1));
    const updated = await registry.setTags('ahu', '1.0.0', ['winter', ' reviewed ', 'winter']);
    expect(updated.tags).toEqual(['winter', 'reviewed']);
    const described = await registry.setDescription('ahu', '1.0.0', 'Retrained after the sensor swap.');
    expect(described).toEqual({ ...meta, tags: ['winter', 'reviewed'], description: 'Retrained after the sensor swap.' });
    expect(await registry.getVersion('ahu', '1.0.0')).toEqual(described);
    const folder = await fs.readdir(path.join(registry.dir, 'models/ahu/versions/1.0.0'));
    expect(folder.sort()).toEqual(['model.json', 'reference.json', 'version.json']);
  });

  it('resolve finds by version, alias or latest non-archived', async () => {
    const registry = await fresh();
    for (let i = 0; i < 3; i++) await registry.registerVersion(sampleInput('ahu', i));
    await registry.promote('ahu', '1.0.1', 'production', { reason: 'go' });
    await registry.archive('ahu', '1.0.2', { reason: 'bad data' });
    expect((await registry.resolve('ahu', { alias: 'production' })).version).toBe('1.0.1');
    expect((await registry.resolve('ahu', { version: '1.0.0' })).version).toBe('1.0.0');
    expect((await registry.resolve('ahu')).version).toBe('1.0.1');
    const missing = await caught(registry.resolve('ahu', { alias: 'staging' }));
    expect(missing.message).toContain('aliases: production');
    expect((await caught(registry.getVersion('ahu', '9.9.9'))).code).toBe('not_found');
    expect((await caught(registry.listVersions('nope'))).code).toBe('not_found');
  });

  it('lists models with counts, latest and aliases', async () => {
    const registry = await fresh();
    await registry.registerVersion(sampleInput('ahu', 1));
    await registry.registerVersion(sampleInput('ahu', 2));
    await registry.registerVersion(sampleInput('boiler', 1));
    await registry.promote('ahu', '1.0.0', 'production', { reason: 'go' });
    const models = await registry.listModels();
    expect(models.map((m) => [m.name, m.versionCount, m.latest, m.aliases])).toEqual([
      ['ahu', 2, '1.0.1', { production: '1.0.0' }],
      ['boiler', 1, '1.0.0', {}],
    ]);
  });
});

describe('deployments', () => {
  it('rollback after two promotions returns to the first version and leaves three events', async () => {
    const registry = await fresh();
    for (let i = 0; i < 3; i++) await registry.registerVersion(sampleInput('ahu', i));
    await registry.promote('ahu', '1.0.0', 'production', { reason: 'first release', user: 'ana' });
    await registry.promote('ahu', '1.0.2', 'production', { reason: 'better auc', user: 'ben' });
    const event = await registry.rollback('ahu', 'production', { reason: 'false alarms', user: 'cem' });

    expect(event).toMatchObject({ action: 'rollback', alias: 'production', from: '1.0.2', to: '1.0.0', user: 'cem' });
    expect((await registry.resolve('ahu', { alias: 'production' })).version).toBe('1.0.0');
    const history = await registry.history('ahu');
    expect(history.map((e) => [e.action, 'from' in e ? e.from : null, 'to' in e ? e.to : null])).toEqual([
      ['promote', null, '1.0.0'],
      ['promote', '1.0.0', '1.0.2'],
      ['rollback', '1.0.2', '1.0.0'],
    ]);
    for (const e of history) expect(Date.parse(e.time)).not.toBeNaN();
    expect((await registry.listVersions('ahu')).find((v) => v.version === '1.0.0')?.aliases).toEqual(['production']);
  });

  it('rollback with no earlier version is an error; the default user is the OS user', async () => {
    const registry = await fresh();
    await registry.registerVersion(sampleInput('ahu', 0));
    expect((await caught(registry.rollback('ahu', 'production', { reason: 'x' }))).code).toBe('not_found');
    const event = await registry.promote('ahu', '1.0.0', 'production', { reason: 'first' });
    expect(event.user).toBe(os.userInfo().username);
    expect((await caught(registry.rollback('ahu', 'production', { reason: 'x' }))).message).toContain('no earlier version');
    expect((await caught(registry.promote('ahu', '1.0.0', 'production', { reason: 'again' }))).code).toBe('conflict');
    expect((await caught(registry.promote('ahu', '1.0.0', 'staging', { reason: '' }))).info.field).toBe('reason');
  });

  it('rollback walks back through the history: never back to the version it rolled away from', async () => {
    const registry = await fresh();
    for (let i = 0; i < 3; i++) await registry.registerVersion(sampleInput('ahu', i));
    await registry.promote('ahu', '1.0.0', 'production', { reason: 'first' });
    await registry.promote('ahu', '1.0.1', 'production', { reason: 'second' });
    await registry.promote('ahu', '1.0.2', 'production', { reason: 'third' });
    expect((await registry.rollback('ahu', 'production', { reason: 'bad' })).to).toBe('1.0.1');
    expect((await registry.rollback('ahu', 'production', { reason: 'also bad' })).to).toBe('1.0.0');
    const none = await caught(registry.rollback('ahu', 'production', { reason: 'again' }));
    expect(none.message).toBe('Alias production of ahu has no earlier version to roll back to.');
    expect((await registry.resolve('ahu', { alias: 'production' })).version).toBe('1.0.0');
    // A promote after rollbacks starts a new step: rolling it back returns to where the alias was.
    await registry.promote('ahu', '1.0.2', 'production', { reason: 'fixed' });
    expect((await registry.rollback('ahu', 'production', { reason: 'not fixed' })).to).toBe('1.0.0');
  });

  it('promote 1.0.0, promote 1.0.1, rollback → 1.0.0, rollback again → nothing to roll back (not 1.0.1)', async () => {
    const registry = await fresh();
    for (let i = 0; i < 2; i++) await registry.registerVersion(sampleInput('ahu', i));
    await registry.promote('ahu', '1.0.0', 'production', { reason: 'first' });
    await registry.promote('ahu', '1.0.1', 'production', { reason: 'second' });
    expect((await registry.rollback('ahu', 'production', { reason: 'bad' })).to).toBe('1.0.0');
    expect((await caught(registry.rollback('ahu', 'production', { reason: 'again' }))).code).toBe('not_found');
    expect((await registry.resolve('ahu', { alias: 'production' })).version).toBe('1.0.0');
  });

  it('the deployment log is append-only: earlier bytes never change', async () => {
    const registry = await fresh();
    for (let i = 0; i < 3; i++) await registry.registerVersion(sampleInput('ahu', i));
    const log = path.join(registry.dir, 'deployments.ndjson');
    await registry.promote('ahu', '1.0.0', 'production', { reason: 'a' });
    const first = await fs.readFile(log);
    await registry.promote('ahu', '1.0.1', 'production', { reason: 'b' });
    await registry.archive('ahu', '1.0.2', { reason: 'c' });
    await registry.rollback('ahu', 'production', { reason: 'd' });
    const after = await fs.readFile(log);
    expect(after.subarray(0, first.length)).toEqual(first);
    expect(after.toString().trim().split('\n')).toHaveLength(4);
  });

  it('archive hides a version from default listings but keeps it readable', async () => {
    const registry = await fresh();
    for (let i = 0; i < 3; i++) await registry.registerVersion(sampleInput('ahu', i));
    await registry.promote('ahu', '1.0.1', 'production', { reason: 'go' });
    expect((await caught(registry.archive('ahu', '1.0.1', { reason: 'x' }))).message).toContain('production');
    const event = await registry.archive('ahu', '1.0.0', { reason: 'superseded' });
    expect(event).toMatchObject({ action: 'archive', model: 'ahu', version: '1.0.0', reason: 'superseded' });
    expect((await registry.listVersions('ahu')).map((v) => v.version)).toEqual(['1.0.1', '1.0.2']);
    const all = await registry.listVersions('ahu', { includeArchived: true });
    expect(all.map((v) => [v.version, v.archived])).toEqual([
      ['1.0.0', true],
      ['1.0.1', false],
      ['1.0.2', false],
    ]);
    await expect(registry.loadArtifact('ahu', '1.0.0')).resolves.toBeInstanceOf(Buffer);
    expect((await caught(registry.promote('ahu', '1.0.0', 'staging', { reason: 'x' }))).code).toBe('conflict');
    expect((await registry.history('ahu')).map((e) => e.action)).toEqual(['promote', 'archive']);
  });

  it('a promotion logged but not applied (crash in between) is rolled forward by the next writer', async () => {
    const registry = await fresh();
    for (let i = 0; i < 2; i++) await registry.registerVersion(sampleInput('ahu', i));
    await registry.promote('ahu', '1.0.0', 'production', { reason: 'a' });
    const manifestBefore = await fs.readFile(registry.manifestFile);
    await registry.promote('ahu', '1.0.1', 'production', { reason: 'b' });
    await fs.writeFile(registry.manifestFile, manifestBefore); // as if the manifest write never happened
    const report = await registry.verify();
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('next write applies it') }),
    ]);
    await registry.setTags('ahu', '1.0.0', ['x']);
    expect((await registry.resolve('ahu', { alias: 'production' })).version).toBe('1.0.1');
    expect((await registry.verify()).problems).toEqual([]);
  });
});

describe('compare', () => {
  it('reports differing params, metric deltas with direction, and training-data changes', async () => {
    const registry = await fresh();
    await registry.registerVersion(
      sampleInput('ahu', 1, {
        params: { trees: 100, contamination: 0.05, window: { hours: 24 }, same: 'x' },
        metrics: { auc: 0.8, f1: 0.6, latencyMs: 4, trainingTimeMs: 900, anomalyRate: 0.02 },
        trainingData: { rows: 1000, columns: ['ts', 'kwh', 'temp_c'], sha256: 'a'.repeat(64) },
      }),
    );
    await registry.registerVersion(
      sampleInput('ahu', 2, {
        params: { trees: 200, contamination: 0.05, window: { hours: 48 }, same: 'x', seed: 7 },
        metrics: { auc: 0.85, f1: 0.55, latencyMs: 3, trainingTimeMs: 1200, recall: 0.5 },
        trainingData: { rows: 1500, columns: ['ts', 'kwh', 'humidity'], sha256: 'b'.repeat(64) },
      }),
    );
    const result = await registry.compare('ahu', '1.0.0', '1.0.1');
    expect(result.params).toEqual([
      { key: 'seed', a: undefined, b: 7 },
      { key: 'trees', a: 100, b: 200 },
      { key: 'window.hours', a: 24, b: 48 },
    ]);
    const metric = (name: string) => result.metrics.find((m) => m.name === name);
    // Different training data, so different holdouts: quality metrics are shown but not called better or worse.
    expect(metric('auc')).toMatchObject({ a: 0.8, b: 0.85, better: null, caveat: 'measured on different holdouts' });
    expect(metric('auc')?.delta).toBeCloseTo(0.05);
    expect(metric('f1')).toMatchObject({ better: null });
    expect(metric('latencyMs')).toMatchObject({ delta: -1, better: true });
    expect(metric('trainingTimeMs')).toMatchObject({ delta: 300, better: false });
    expect(metric('anomalyRate')).toMatchObject({ a: 0.02, b: null, delta: null, better: null });
    expect(metric('recall')).toMatchObject({ a: null, b: 0.5, better: null });
    expect(result.trainingData).toEqual({
      rows: { a: 1000, b: 1500, delta: 500 },
      columnsAdded: ['humidity'],
      columnsRemoved: ['temp_c'],
      shaChanged: true,
      sourceChanged: false,
    });
  });
});
