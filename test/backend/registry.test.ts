import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import type { GreenLensEvent } from '../../src-main/contract';
import { Registry } from '../../src-main/core/registry';
import { Router } from '../../src-main/backend/host/router';
import { memorySettings, rejection, startTestWorker, tempDir } from '../helpers/backend';
import { buildFixtureRegistry } from './registry-fixture';

let host: WorkerHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

/** A worker on a fresh fixture registry, recording every event it sends. */
async function start(count?: number): Promise<{ dir: string; events: GreenLensEvent[]; host: WorkerHost }> {
  const dir = join(tempDir('gl-reg-'), 'registry');
  await buildFixtureRegistry(dir, count);
  host = startTestWorker(dir);
  const events: GreenLensEvent[] = [];
  host.on((e) => events.push(e));
  return { dir, events, host };
}

const changedTopics = (events: GreenLensEvent[]): string[] => events.flatMap((e) => (e.type === 'changed' ? [e.topic] : []));

describe('registry handlers through the worker', () => {
  it('lists, shows and compares versions', async () => {
    const { host, dir } = await start();
    const info = await host.call('registry.info', {});
    expect(info.path).toBe(dir);
    expect(info.models).toEqual([expect.objectContaining({ name: 'energy-anomaly', versionCount: 3, latest: '1.0.2' })]);

    const list = await host.call('versions.list', {});
    expect(list.model).toBe('energy-anomaly');
    expect(list.aliases).toEqual({});
    expect(list.versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '1.0.2']);
    expect(list.versions[1]!.params).toMatchObject({ trees: 200, sampleSize: 256, contamination: 0.01 });

    const shown = await host.call('versions.show', { version: '1.0.0' });
    expect(shown.description).toBe('First model on three buildings.');
    expect(shown.tags).toEqual(['baseline']);
    expect(shown.artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(shown.artifact.bytes).toBe((await fs.stat(join(dir, 'models/energy-anomaly/versions/1.0.0/model.json'))).size);

    const cmp = await host.call('versions.compare', { a: '1.0.0', b: '1.0.1' });
    const changedKeys = cmp.params.map((p) => p.key);
    expect(changedKeys).toEqual(expect.arrayContaining(['contamination', 'seed', 'trees']));
    expect(changedKeys).not.toContain('sampleSize');
    expect(changedKeys).not.toContain('features');
    expect(cmp.params.find((p) => p.key === 'trees')).toEqual({ key: 'trees', a: 100, b: 200 });
    const auc = cmp.metrics.find((m) => m.name === 'rocAuc')!;
    expect(auc.delta).toBeCloseTo(0.041, 10);
    // Trained (and held out) on different data: not called better.
    expect(auc).toMatchObject({ better: null, caveat: 'measured on different holdouts' });
    expect(cmp.evaluation.same).toBe(false);
    expect(cmp.trainingData.rows).toEqual({ a: 2016, b: 4032, delta: 2016 });
  });

  it('promotes twice and rolls back to the right version, with three events and change notices', async () => {
    const { host, events } = await start();
    const first = await host.call('versions.promote', { version: '1.0.1', reason: 'best ROC AUC' });
    expect(first.event).toMatchObject({ action: 'promote', alias: 'production', from: null, to: '1.0.1', reason: 'best ROC AUC' });
    const second = await host.call('versions.promote', { version: '1.0.2', reason: 'better F1' });
    expect(second.event).toMatchObject({ from: '1.0.1', to: '1.0.2' });
    const back = await host.call('versions.rollback', { reason: 'too many false alarms' });
    expect(back.event).toMatchObject({ action: 'rollback', alias: 'production', from: '1.0.2', to: '1.0.1' });

    const list = await host.call('versions.list', {});
    expect(list.aliases).toEqual({ production: '1.0.1' });
    expect(list.versions.find((v) => v.version === '1.0.1')!.aliases).toEqual(['production']);
    const { events: history } = await host.call('deployments.history', { model: 'energy-anomaly' });
    expect(history.map((e) => e.action)).toEqual(['promote', 'promote', 'rollback']);
    expect(history.map((e) => e.reason)).toEqual(['best ROC AUC', 'better F1', 'too many false alarms']);
    expect(changedTopics(events).filter((t) => t === 'deployments')).toHaveLength(3);
    expect(changedTopics(events).filter((t) => t === 'versions')).toHaveLength(3);

    // Promoting without a reason is refused at the boundary, naming the field.
    const noReason = await rejection(host.call('versions.promote', { version: '1.0.0', reason: '  ' }));
    expect(noReason.code).toBe('invalid_input');
    expect(noReason.info.field).toBe('reason');
  });

  it('edits tags and description (and nothing else) and says versions changed', async () => {
    const { host, events } = await start();
    const before = await host.call('versions.show', { version: '1.0.1' });
    const tagged = await host.call('versions.tag', { version: '1.0.1', tags: ['candidate', 'winter'], description: 'Winter retrain' });
    expect(tagged.tags).toEqual(['candidate', 'winter']);
    expect(tagged.description).toBe('Winter retrain');
    const edited = await host.call('versions.tag', { version: '1.0.1', add: ['reviewed'], remove: ['winter'] });
    expect(edited.tags).toEqual(['candidate', 'reviewed']);
    expect(edited.description).toBe('Winter retrain');
    expect(edited.artifact).toEqual(before.artifact);
    expect(edited.params).toEqual(before.params);
    expect(changedTopics(events)).toEqual(['versions', 'versions']);
    const nothing = await rejection(host.call('versions.tag', { version: '1.0.1' }));
    expect(nothing.code).toBe('invalid_input');
    const badVersion = await rejection(host.call('versions.show', { version: '1.0' }));
    expect(badVersion.info.field).toBe('version');
  });

  it('verify reports a flipped byte and names the file', async () => {
    const { host, dir } = await start();
    expect((await host.call('registry.verify', {})).ok).toBe(true);
    const file = join(dir, 'models/energy-anomaly/versions/1.0.1/model.json');
    const bytes = await fs.readFile(file);
    bytes[10] = bytes[10]! ^ 0x01;
    await fs.writeFile(file, bytes);
    const progress: string[] = [];
    const result = await host.call(
      'registry.verify',
      {},
      { onProgress: (phase, done, total) => progress.push(`${phase} ${done}/${total}`) },
    );
    expect(result.ok).toBe(false);
    const errors = result.problems.filter((p) => p.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.file).toBe(file);
    expect(progress.at(-1)).toBe('verifying checksums 1/1');
  });

  it('exports and imports to another path with identical checksums, then opens the import', async () => {
    const { host, dir, events } = await start();
    await host.call('versions.promote', { version: '1.0.2', reason: 'ship it' });
    const out = join(tempDir('gl-share-'), 'site-a');
    const exported = await host.call('registry.export', { archive: out });
    expect(exported.archive).toBe(`${out}.greenlens`);
    expect(exported.files).toBeGreaterThanOrEqual(10);
    expect((await fs.stat(exported.archive)).size).toBe(exported.bytes);

    const imported = await host.call('registry.import', { archive: exported.archive });
    // Default target: a folder beside the archive, named after it.
    expect(imported.path).toBe(out);
    expect(host.openRegistry).toBe(out);
    expect(events).toContainEqual({ type: 'registry', path: out });
    const original = await Registry.open(dir);
    const copy = await Registry.open(out);
    const sums = async (r: Registry) =>
      (await r.listVersions('energy-anomaly')).map((v) => [v.version, v.artifact.sha256, v.reference.sha256, v.aliases]);
    expect(await sums(copy)).toEqual(await sums(original));
    expect((await host.call('versions.list', {})).aliases).toEqual({ production: '1.0.2' });

    // Importing the same archive again picks a free name rather than failing.
    const again = await host.call('registry.import', { archive: exported.archive });
    expect(again.path).toBe(`${out}-2`);
  });

  it('opens a registry by folder or manifest, emits the registry event and moves app.info', async () => {
    const { host, dir, events } = await start(1);
    const other = join(tempDir('gl-other-'), 'other');
    await buildFixtureRegistry(other, 2);
    const opened = await host.call('registry.open', { path: join(other, 'greenlens-registry.json') });
    expect(opened.path).toBe(other);
    expect(opened.models[0]!.versionCount).toBe(2);
    expect(host.openRegistry).toBe(other);
    expect(events).toContainEqual({ type: 'registry', path: other });
    expect((await host.call('registry.info', {})).path).toBe(other);
    await host.call('registry.open', { path: dir });
    expect((await host.call('versions.list', {})).versions).toHaveLength(1);
  });

  it('through the router: app.info follows the opened registry and it joins the recent list', async () => {
    const { host, dir } = await start(1);
    const settings = memorySettings();
    const router = new Router({ worker: host, settings, transport: 'web', version: '0.0.0' });
    const other = join(tempDir('gl-router-'), 'other');
    await buildFixtureRegistry(other, 1);
    const before = await router.call('app.info', {});
    expect(before).toMatchObject({ ok: true, value: { registryPath: dir } });
    expect(await router.call('registry.open', { path: other })).toMatchObject({ ok: true, value: { path: other } });
    expect(await router.call('app.info', {})).toMatchObject({ ok: true, value: { registryPath: other } });
    expect(settings.get().recentRegistries[0]).toBe(other);
    const failed = await router.call('registry.open', { path: join(other, 'missing') });
    expect(failed).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await router.call('app.info', {})).toMatchObject({ ok: true, value: { registryPath: other } });
  });

  it('refuses a folder that is not a registry, a newer format and a truncated manifest, clearly', async () => {
    const { host, dir } = await start(1);
    const plain = tempDir('gl-plain-');
    await fs.writeFile(join(plain, 'notes.txt'), 'hello');
    const notRegistry = await rejection(host.call('registry.open', { path: plain }));
    expect(notRegistry.message).toContain(plain);
    expect(notRegistry.message.toLowerCase()).toMatch(/registry/);

    const newer = join(tempDir('gl-newer-'), 'newer');
    await buildFixtureRegistry(newer, 1);
    const manifest = JSON.parse(await fs.readFile(join(newer, 'greenlens-registry.json'), 'utf8')) as { formatVersion: number };
    manifest.formatVersion = 99;
    await fs.writeFile(join(newer, 'greenlens-registry.json'), JSON.stringify(manifest));
    const newerErr = await rejection(host.call('registry.open', { path: newer }));
    expect(newerErr.message).toMatch(/newer|99/);

    const truncated = join(tempDir('gl-trunc-'), 'trunc');
    await buildFixtureRegistry(truncated, 1);
    const text = await fs.readFile(join(truncated, 'greenlens-registry.json'), 'utf8');
    await fs.writeFile(join(truncated, 'greenlens-registry.json'), text.slice(0, text.length / 2));
    const truncErr = await rejection(host.call('registry.open', { path: truncated }));
    expect(truncErr.code).toBe('corrupt');
    expect(truncErr.info.file).toBe(join(truncated, 'greenlens-registry.json'));

    // A failed open leaves the current registry open.
    expect(host.openRegistry).toBe(dir);
    expect((await host.call('registry.info', {})).path).toBe(dir);
  });

  it('creates the default registry on first use and lists its default model as empty', async () => {
    const dir = join(tempDir('gl-fresh-'), 'default-registry');
    host = startTestWorker(dir);
    // The UI asks several things at once on start-up: they share one create.
    const [info] = await Promise.all([
      host.call('registry.info', {}),
      host.call('versions.list', {}),
      host.call('deployments.history', {}),
    ]);
    expect(info.path).toBe(dir);
    expect(info.models).toEqual([]);
    expect(await host.call('versions.list', {})).toEqual({ model: 'energy-anomaly', aliases: {}, rollbackTo: {}, versions: [] });
    const unknown = await rejection(host.call('versions.list', { model: 'chiller' }));
    expect(unknown.code).toBe('not_found');
    expect((await host.call('deployments.history', {})).events).toEqual([]);
    const created = join(tempDir('gl-create-'), 'new-registry');
    expect((await host.call('registry.create', { path: created })).path).toBe(created);
    expect(host.openRegistry).toBe(created);
  });
});
