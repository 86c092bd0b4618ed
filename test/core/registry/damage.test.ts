import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GreenLensError } from '../../../src-main/contract/shared/errors';
import { PredictionLog } from '../../../src-main/core/monitoring';
import { Registry } from '../../../src-main/core/registry/registry';
import { sampleInput } from './helpers/fixtures';
import { tempDir } from './helpers/temp';

async function registryWithVersions(count = 2): Promise<Registry> {
  const registry = await Registry.create(path.join(await tempDir(), 'reg'));
  for (let i = 0; i < count; i++) await registry.registerVersion(sampleInput('boiler', i));
  return registry;
}

async function caught(promise: Promise<unknown>): Promise<GreenLensError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GreenLensError);
  return error as GreenLensError;
}

describe('damage is detected and named', () => {
  it('a flipped byte in an artifact: loadArtifact and verify name the file', async () => {
    const registry = await registryWithVersions();
    const file = path.join(registry.dir, 'models/boiler/versions/1.0.1/model.json');
    const bytes = await fs.readFile(file);
    bytes[10]! ^= 0x01;
    await fs.writeFile(file, bytes);

    const error = await caught(registry.loadArtifact('boiler', '1.0.1'));
    expect(error.code).toBe('corrupt');
    expect(error.info.file).toBe(file);
    expect(error.message).toContain(file);
    await expect(registry.loadArtifact('boiler', '1.0.0')).resolves.toBeInstanceOf(Buffer);

    const report = await registry.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ file, severity: 'error', message: expect.stringContaining('sha256') })]);
  });

  it('a damaged reference is named too', async () => {
    const registry = await registryWithVersions(1);
    const file = path.join(registry.dir, 'models/boiler/versions/1.0.0/reference.json');
    await fs.appendFile(file, ' ');
    const error = await caught(registry.loadReference('boiler', '1.0.0'));
    expect(error.info.file).toBe(file);
    expect((await registry.verify()).problems.map((p) => p.file)).toEqual([file]);
  });

  it('a truncated manifest: a clear error naming greenlens-registry.json, file left unchanged', async () => {
    const registry = await registryWithVersions(1);
    const manifest = path.join(registry.dir, 'greenlens-registry.json');
    const full = await fs.readFile(manifest);
    const truncated = full.subarray(0, Math.floor(full.length / 2));
    await fs.writeFile(manifest, truncated);

    for (const attempt of [() => Registry.open(registry.dir), () => Registry.openOrCreate(registry.dir), () => Registry.open(manifest)]) {
      const error = await caught(attempt());
      expect(error.code).toBe('corrupt');
      expect(error.info.file).toBe(manifest);
      expect(error.message).toContain('greenlens-registry.json');
      expect(error.message).toMatch(/not valid JSON/);
    }
    // Writers refuse too, rather than "repairing" by overwriting.
    await caught(registry.registerVersion(sampleInput('boiler', 9)));
    expect(await fs.readFile(manifest)).toEqual(truncated);
    const report = await registry.verify();
    expect(report.problems).toEqual([expect.objectContaining({ file: manifest, severity: 'error' })]);
  });

  it('a missing version folder an alias points at: verify names it', async () => {
    const registry = await registryWithVersions(2);
    await registry.promote('boiler', '1.0.1', 'production', { reason: 'test' });
    const folder = path.join(registry.dir, 'models/boiler/versions/1.0.1');
    await fs.rm(folder, { recursive: true });
    const report = await registry.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ file: folder, message: expect.stringContaining('production') })]);
    const error = await caught(registry.resolve('boiler', { alias: 'production' }));
    expect(error.code).toBe('not_found');
  });

  it('a version.json that is not JSON is reported and the version is not listed', async () => {
    const registry = await registryWithVersions(2);
    const file = path.join(registry.dir, 'models/boiler/versions/1.0.0/version.json');
    await fs.writeFile(file, '{"model": "boi');
    expect((await registry.listVersions('boiler')).map((v) => v.version)).toEqual(['1.0.1']);
    expect((await caught(registry.getVersion('boiler', '1.0.0'))).info.file).toBe(file);
    expect((await registry.verify()).problems.map((p) => p.file)).toEqual([file]);
  });

  it('a torn last line in deployments.ndjson is a warning, and the next append cuts it off', async () => {
    const registry = await registryWithVersions(2);
    await registry.promote('boiler', '1.0.0', 'production', { reason: 'first' });
    const log = path.join(registry.dir, 'deployments.ndjson');
    await fs.appendFile(log, '{"time":"2024-');
    const report = await registry.verify();
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([expect.objectContaining({ file: log, severity: 'warning' })]);
    await registry.promote('boiler', '1.0.1', 'production', { reason: 'second' });
    expect((await registry.history()).map((e) => e.reason)).toEqual(['first', 'second']);
    expect((await registry.verify()).problems).toEqual([]);
  });

  it('a leftover staging folder is ignored by readers and removed by the next writer', async () => {
    const registry = await registryWithVersions(1);
    const staging = path.join(registry.dir, 'models/boiler/versions/.staging-deadbeef');
    await fs.mkdir(staging);
    await fs.writeFile(path.join(staging, 'model.json'), '{"half":');
    expect((await registry.listVersions('boiler')).map((v) => v.version)).toEqual(['1.0.0']);
    expect((await registry.verify()).ok).toBe(true);
    expect((await registry.registerVersion(sampleInput('boiler', 5))).version).toBe('1.0.1');
    await expect(fs.stat(staging)).rejects.toThrow();
  });
});

describe('manifest format versions', () => {
  it('a newer formatVersion is refused with both versions named, file unchanged', async () => {
    const registry = await registryWithVersions(1);
    const manifest = path.join(registry.dir, 'greenlens-registry.json');
    const json = JSON.parse(await fs.readFile(manifest, 'utf8')) as Record<string, unknown>;
    const newer = Buffer.from(JSON.stringify({ ...json, formatVersion: 2, somethingNew: true }));
    await fs.writeFile(manifest, newer);

    const error = await caught(Registry.open(registry.dir));
    expect(error.code).toBe('unsupported');
    expect(error.message).toContain('format version 2');
    expect(error.message).toContain('supports format version 1');
    expect(error.info.file).toBe(manifest);
    await caught(registry.promote('boiler', '1.0.0', 'production', { reason: 'x' }));
    expect(await fs.readFile(manifest)).toEqual(newer);
  });

  it('an older formatVersion (0: aliases at top level) is migrated on open, after a backup', async () => {
    const registry = await registryWithVersions(2);
    const manifest = path.join(registry.dir, 'greenlens-registry.json');
    const v0 = Buffer.from(
      JSON.stringify(
        {
          format: 'greenlens-registry',
          formatVersion: 0,
          createdAt: '2023-05-01T10:00:00.000Z',
          models: { boiler: { createdAt: '2023-05-01T10:00:00.000Z' } },
          aliases: { boiler: { production: '1.0.0', staging: '1.0.1' } },
        },
        null,
        2,
      ),
    );
    await fs.writeFile(manifest, v0);

    const reopened = await Registry.open(registry.dir);
    const migrated = JSON.parse(await fs.readFile(manifest, 'utf8')) as Record<string, unknown>;
    expect(migrated).toEqual({
      format: 'greenlens-registry',
      formatVersion: 1,
      createdAt: '2023-05-01T10:00:00.000Z',
      models: { boiler: { createdAt: '2023-05-01T10:00:00.000Z', aliases: { production: '1.0.0', staging: '1.0.1' } } },
    });
    const backups = (await fs.readdir(registry.dir)).filter((n) => n.startsWith('greenlens-registry.json.bak-'));
    expect(backups).toHaveLength(1);
    expect(await fs.readFile(path.join(registry.dir, backups[0]!))).toEqual(v0);
    expect((await reopened.resolve('boiler', { alias: 'staging' })).version).toBe('1.0.1');
    expect((await reopened.verify()).ok).toBe(true);

    // Opening again is a no-op: no second backup.
    await Registry.open(registry.dir);
    expect((await fs.readdir(registry.dir)).filter((n) => n.includes('.bak-'))).toHaveLength(1);
  });

  it('a manifest that is valid JSON but not a registry is refused', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'greenlens-registry.json'), '{"format":"something-else"}');
    const error = await caught(Registry.open(dir));
    expect(error.code).toBe('corrupt');
    expect(error.info.field).toBe('format');
  });
});

/** A log of two requests of 3 and 2 readings under the registry. */
async function withLog(registry: Registry): Promise<string> {
  const dir = path.join(registry.dir, 'predictions');
  const log = await PredictionLog.open(dir);
  for (const [id, n] of [
    ['a', 3],
    ['b', 2],
  ] as const) {
    await log.append({
      model: 'boiler',
      version: '1.0.0',
      features: ['x'],
      requestId: id,
      time: 1_700_000_000_000,
      latencyMs: 1,
      scores: new Float64Array(n),
      flags: new Uint8Array(n),
      values: [new Float64Array(n)],
    });
  }
  await log.close();
  const glp = (await fs.readdir(dir)).find((n) => n.endsWith('.glp'));
  return path.join(dir, glp!);
}

describe('registry verify has no blind spots', () => {
  it('reads the prediction log: a destroyed segment header fails verify, naming the segment', async () => {
    const registry = await registryWithVersions(1);
    const glp = await withLog(registry);
    expect((await registry.verify()).ok).toBe(true);
    const bytes = await fs.readFile(glp);
    bytes.fill(0, 0, 16);
    await fs.writeFile(glp, bytes);
    const report = await registry.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: glp,
        severity: 'error',
        message: expect.stringContaining('not a prediction log segment (bad magic)'),
      }),
    ]);
  });

  it('an inconsistent log index fails verify; an interrupted append is a warning', async () => {
    const registry = await registryWithVersions(1);
    const glp = await withLog(registry);
    const glr = glp.replace(/\.glp$/, '.glr');
    await fs.appendFile(glp, Buffer.alloc(7)); // a torn record
    const torn = await registry.verify();
    expect(torn.ok).toBe(true);
    expect(torn.problems).toEqual([expect.objectContaining({ file: glp, severity: 'warning' })]);
    const idx = await fs.readFile(glr);
    idx.writeUInt32LE(99, 8 + 32 + 8); // the second entry's firstRow
    await fs.writeFile(glr, idx);
    const report = await registry.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.file === glr && /inconsistent at entry 1/.test(p.message))).toBe(true);
  });

  it('a stray file under models/ is reported, and every other problem still is', async () => {
    const registry = await registryWithVersions(2);
    await fs.writeFile(path.join(registry.dir, 'models', 'notes.txt'), 'hello');
    await fs.writeFile(path.join(registry.dir, 'models', 'boiler', 'versions', 'README'), 'x');
    const damaged = path.join(registry.dir, 'models', 'boiler', 'versions', '1.0.1', 'version.json');
    await fs.writeFile(damaged, '{not json');
    const report = await registry.verify();
    expect(report.ok).toBe(false);
    const files = report.problems.map((p) => p.file);
    expect(files).toContain(path.join(registry.dir, 'models', 'notes.txt'));
    expect(files).toContain(damaged);
  });

  it('a damaged version.json: resolving the latest version names the file instead of "no versions yet"', async () => {
    const registry = await registryWithVersions(1);
    const damaged = path.join(registry.dir, 'models', 'boiler', 'versions', '1.0.0', 'version.json');
    await fs.writeFile(damaged, '{"model": "boiler"');
    const error = await caught(registry.resolve('boiler'));
    expect(error.code).toBe('corrupt');
    expect(error.info.file).toBe(damaged);
    expect(error.message).toContain('boiler 1.0.0');
    // The newest version damaged, an older one fine: not a silent fall back to the older one.
    const two = await registryWithVersions(2);
    const newest = path.join(two.dir, 'models', 'boiler', 'versions', '1.0.1', 'version.json');
    await fs.writeFile(newest, '[]');
    expect((await caught(two.resolve('boiler'))).info.file).toBe(newest);
  });
});
