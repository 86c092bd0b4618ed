import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { DatasetMetaSchema } from '../../src-main/core/data/dataset-file';
import { rejection, startTestWorker, tempDir } from '../helpers/backend';

/** Datasets are kept in the registry (issue 9 item 13): they survive a restart, travel with an export, can be renamed and deleted. */

let hosts: WorkerHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

function start(registry: string): WorkerHost {
  const host = startTestWorker(registry);
  hosts.push(host);
  return host;
}

function bmsCsv(dir: string): string {
  const lines = ['Zeitstempel;Gebäude;Energie kWh;Temperatur'];
  for (let h = 0; h < 300; h++) {
    const day = String(1 + Math.floor(h / 24)).padStart(2, '0');
    lines.push(
      `${day}.11.2026 ${String(h % 24).padStart(2, '0')}:00;B${h % 3};${(10 + (h % 17) * 0.5).toFixed(1).replace('.', ',')};${(h % 9) - 2},5`,
    );
  }
  const path = join(dir, 'Zähler.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('datasets kept in the registry', () => {
  it('survive a restart with their import options, checksum and data, and can be trained on', async () => {
    const dir = tempDir('gl-datasets-');
    const registry = join(dir, 'registry');
    const csv = bmsCsv(dir);
    const first = start(registry);
    const imported = await first.call('data.import', { path: csv, ragged: 'skip' });
    const simulated = await first.call('data.simulate', { buildings: 2, days: 3, name: 'sim-small' });
    expect(imported.stored).toBe(true);
    const series = await first.call('data.series', { datasetId: imported.id, column: 'Energie kWh', maxPoints: 5000 });
    await first.close();
    hosts = [];

    const folder = join(registry, 'datasets', imported.id);
    const meta = DatasetMetaSchema.parse(JSON.parse(readFileSync(join(folder, 'dataset.json'), 'utf8')));
    expect(meta).toMatchObject({
      name: 'Zähler',
      sourceFile: csv,
      rows: 300,
      roles: { Zeitstempel: 'timestamp', Gebäude: 'id', 'Energie kWh': 'feature', Temperatur: 'feature' },
      options: { ragged: 'skip', missing: 'drop', encoding: 'auto', decimal: 'auto', dateFormat: 'auto' },
    });
    expect(meta.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(join(registry, 'datasets')).sort()).toEqual([imported.id, simulated.id].sort());

    const second = start(registry);
    const listed = await second.call('data.list', {});
    expect(listed.datasets.map((d) => [d.id, d.name, d.rows, d.stored])).toEqual([
      [imported.id, 'Zähler', 300, true],
      [simulated.id, 'sim-small', 2 * 3 * 24, true],
    ]);
    expect(listed.datasets[0]!.import?.reading.decimal).toBe(',');
    // The columns come back from disk identical.
    expect(await second.call('data.series', { datasetId: imported.id, column: 'Energie kWh', maxPoints: 5000 })).toEqual(series);
    const trained = await second.call('model.train', { datasetId: imported.id, trees: 10, model: 'halle' });
    expect(trained.versionMeta.trainingData.rows).toBe(300);
  });

  it('renames and deletes from the registry, and refuses a damaged data file naming it', async () => {
    const dir = tempDir('gl-datasets-ops-');
    const registry = join(dir, 'registry');
    const host = start(registry);
    const a = await host.call('data.simulate', { buildings: 1, days: 2, name: 'a' });
    const b = await host.call('data.simulate', { buildings: 1, days: 2, name: 'b' });
    expect((await host.call('data.rename', { datasetId: a.id, name: 'Halle Nord' })).name).toBe('Halle Nord');
    await host.call('data.delete', { datasetId: b.id });
    expect(existsSync(join(registry, 'datasets', b.id))).toBe(false);
    expect(readdirSync(join(registry, 'datasets'))).toEqual([a.id]);
    await host.close();
    hosts = [];

    const again = start(registry);
    expect((await again.call('data.list', {})).datasets.map((d) => d.name)).toEqual(['Halle Nord']);
    const gone = await rejection(again.call('data.get', { datasetId: b.id }));
    expect(gone.code).toBe('not_found');
    const bin = join(registry, 'datasets', a.id, 'columns.bin');
    const bytes = readFileSync(bin);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(bin, bytes);
    const damaged = await rejection(again.call('model.train', { datasetId: a.id, trees: 5 }));
    expect(damaged.message).toBe(`${bin} does not match its checksum: the dataset is damaged.`);
  });

  it('travel with a registry export', async () => {
    const dir = tempDir('gl-datasets-export-');
    const host = start(join(dir, 'registry'));
    const ds = await host.call('data.simulate', { buildings: 1, days: 2, name: 'exported' });
    await host.call('model.train', { datasetId: ds.id, trees: 5 });
    const exported = await host.call('registry.export', { archive: join(dir, 'copy') });
    await host.call('registry.import', { archive: exported.archive, target: join(dir, 'imported') });
    expect(existsSync(join(dir, 'imported', 'datasets', ds.id, 'columns.bin'))).toBe(true);
    const listed = await host.call('data.list', {});
    expect(listed.datasets.map((d) => d.name)).toEqual(['exported']);
    expect((await host.call('data.get', { datasetId: ds.id })).rows).toBe(48);
  });

  it('keeps a CLI-style import (keep: false) in memory only', async () => {
    const dir = tempDir('gl-datasets-keep-');
    const registry = join(dir, 'registry');
    const host = start(registry);
    const ds = await host.call('data.simulate', { buildings: 1, days: 1, keep: false });
    expect(ds.stored).toBe(false);
    await host.call('registry.info', {});
    expect(existsSync(join(registry, 'datasets'))).toBe(false);
    expect((await host.call('data.list', {})).datasets.map((d) => d.id)).toEqual([ds.id]);
  });
});
