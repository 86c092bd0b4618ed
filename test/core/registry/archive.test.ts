import { createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Header, Pack, ReadEntry, extract, create } from 'tar';
import { describe, expect, it } from 'vitest';
import { GreenLensError } from '../../../src-main/contract/shared/errors';
import { exportRegistry, importRegistry } from '../../../src-main/core/registry/archive';
import { DEFAULT_ARCHIVE_LIMITS, extractArchive, scanArchive } from '../../../src-main/core/registry/archive-unpack';
import { Registry } from '../../../src-main/core/registry/registry';
import { hashTree, sampleInput, sha256 } from './helpers/fixtures';
import { tempDir } from './helpers/temp';

async function populated(): Promise<Registry> {
  const registry = await Registry.create(path.join(await tempDir(), 'source'));
  for (let i = 0; i < 3; i++) await registry.registerVersion(sampleInput('ahu', i));
  await registry.registerVersion(sampleInput('boiler', 9));
  await registry.promote('ahu', '1.0.1', 'production', { reason: 'go', user: 'ana' });
  await registry.archive('ahu', '1.0.0', { reason: 'old', user: 'ana' });
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

/** Writes a gzipped tar whose entries are given in memory: the way a hostile archive would be made. */
async function craftArchive(
  file: string,
  entries: {
    path: string;
    data?: string | Buffer;
    type?: 'File' | 'SymbolicLink' | 'Directory';
    linkpath?: string;
    mode?: number;
    uid?: number;
    gid?: number;
    /** Size written in the header when it should lie about the data. */
    size?: number;
  }[],
): Promise<void> {
  // preservePaths: otherwise tar itself would defuse the hostile names we want to test.
  const pack = new Pack({ gzip: true, portable: true, preservePaths: true });
  const out = createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.on('close', () => resolve());
    out.on('error', reject);
  });
  pack.pipe(out);
  for (const e of entries) {
    const data = typeof e.data === 'string' || e.data === undefined ? Buffer.from(e.data ?? '') : e.data;
    const type = e.type ?? 'File';
    const entry = new ReadEntry(
      new Header({
        path: e.path,
        type,
        size: type === 'File' ? (e.size ?? data.length) : 0,
        mode: e.mode ?? (type === 'Directory' ? 0o755 : 0o644),
        uid: e.uid,
        gid: e.gid,
        mtime: new Date(),
        linkpath: e.linkpath,
      }),
    );
    if (type === 'File') entry.end(data);
    else entry.end();
    pack.add(entry);
  }
  pack.end();
  await done;
}

describe('export and import', () => {
  it('export then import elsewhere gives an identical registry', async () => {
    const source = await populated();
    // Things that must not travel: backups, staging leftovers.
    await fs.writeFile(path.join(source.dir, 'greenlens-registry.json.bak-20240101T000000Z'), '{}');
    await fs.mkdir(path.join(source.dir, 'models/ahu/versions/.staging-abc'));
    const work = await tempDir();
    const archive = path.join(work, 'backup.greenlens');
    const exported = await exportRegistry(source.dir, archive);
    expect(exported.file).toBe(archive);
    expect(exported.files).toBe(14); // manifest + log + 4 versions × 3 files

    const target = path.join(work, 'elsewhere', 'imported');
    const imported = await importRegistry(archive, target);
    expect(imported.dir).toBe(target);
    expect(imported.verify.ok).toBe(true);

    const portable = (name: string) => name.startsWith('.') || name.includes('.bak-');
    expect(await hashTree(target)).toEqual(await hashTree(source.dir, portable));
    expect(Object.keys(await hashTree(target))).toHaveLength(14);
    const copy = await Registry.open(target);
    expect(await copy.listVersions('ahu', { includeArchived: true })).toEqual(await source.listVersions('ahu', { includeArchived: true }));
    expect(await copy.history()).toEqual(await source.history());
    // Nothing is left beside the target, and the archive itself is the only file written in `work`.
    expect(await fs.readdir(path.dirname(target))).toEqual(['imported']);
    expect(await fs.readdir(work)).toEqual(['backup.greenlens', 'elsewhere']);
  });

  it('an empty registry (no versions, an empty models folder) round-trips', async () => {
    const source = await Registry.create(path.join(await tempDir(), 'source'));
    const work = await tempDir();
    const archive = path.join(work, 'empty.greenlens');
    expect((await exportRegistry(source.dir, archive)).files).toBe(1);
    const target = path.join(work, 'imported');
    const imported = await importRegistry(archive, target);
    expect(imported.verify.ok).toBe(true);
    expect((await fs.readdir(target)).sort()).toEqual(['greenlens-registry.json', 'models']);
    expect(await (await Registry.open(target)).listModels()).toEqual([]);
  });

  it('an empty folder a registry may hold (an archive made before empty folders were allowed) imports; a stray one is still refused', async () => {
    const work = await tempDir();
    const manifest = await fs.readFile(path.join((await Registry.create(path.join(work, 'src'))).dir, 'greenlens-registry.json'));
    const checksums = (files: Record<string, Buffer>) =>
      JSON.stringify({
        format: 'greenlens-archive',
        formatVersion: 1,
        createdAt: new Date().toISOString(),
        files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { sha256: sha256(v), bytes: v.length }])),
      });
    const good = path.join(work, 'good.greenlens');
    await craftArchive(good, [
      { path: 'checksums.json', data: checksums({ 'greenlens-registry.json': manifest }) },
      { path: 'greenlens-registry.json', data: manifest },
      { path: 'models', type: 'Directory' },
      { path: 'datasets', type: 'Directory' },
    ]);
    expect((await importRegistry(good, path.join(work, 'good'))).verify.ok).toBe(true);
    const bad = path.join(work, 'bad.greenlens');
    await craftArchive(bad, [
      { path: 'checksums.json', data: checksums({ 'greenlens-registry.json': manifest }) },
      { path: 'greenlens-registry.json', data: manifest },
      { path: 'stray', type: 'Directory' },
    ]);
    expect((await caught(importRegistry(bad, path.join(work, 'bad')))).message).toBe(
      `${bad}: entry stray is not listed in checksums.json.`,
    );
  });

  it('the archive holds checksums.json with the sha256 of every file', async () => {
    const source = await populated();
    const work = await tempDir();
    const archive = path.join(work, 'x.greenlens');
    await exportRegistry(source.dir, archive);
    const raw = path.join(work, 'raw');
    await fs.mkdir(raw);
    await extract({ file: archive, cwd: raw });
    const checksums = JSON.parse(await fs.readFile(path.join(raw, 'checksums.json'), 'utf8')) as {
      files: Record<string, { sha256: string }>;
    };
    const tree = await hashTree(raw);
    delete tree['checksums.json'];
    expect(Object.fromEntries(Object.entries(checksums.files).map(([k, v]) => [k, v.sha256]))).toEqual(tree);
  });

  it('refuses a non-empty target, and imports into an empty existing folder', async () => {
    const source = await populated();
    const work = await tempDir();
    const archive = path.join(work, 'x.greenlens');
    await exportRegistry(source.dir, archive);
    const busy = path.join(work, 'busy');
    await fs.mkdir(busy);
    await fs.writeFile(path.join(busy, 'mine.txt'), 'do not touch');
    expect((await caught(importRegistry(archive, busy))).code).toBe('conflict');
    expect(await fs.readdir(busy)).toEqual(['mine.txt']);
    const empty = path.join(work, 'empty');
    await fs.mkdir(empty);
    expect((await importRegistry(archive, empty)).verify.ok).toBe(true);
  });

  it('a tampered file inside the archive is refused, naming the entry', async () => {
    const source = await populated();
    const work = await tempDir();
    const archive = path.join(work, 'x.greenlens');
    await exportRegistry(source.dir, archive);
    // Unpack, change one artifact (keeping the old checksums.json), repack.
    const raw = path.join(work, 'raw');
    await fs.mkdir(raw);
    await extract({ file: archive, cwd: raw });
    const entry = 'models/ahu/versions/1.0.1/model.json';
    await fs.writeFile(path.join(raw, entry), '{"kind":"evil"}');
    const tampered = path.join(work, 'tampered.greenlens');
    await create({ file: tampered, cwd: raw, gzip: true, portable: true }, await fs.readdir(raw));

    const target = path.join(work, 'target');
    const error = await caught(importRegistry(tampered, target));
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(entry);
    expect(error.info.field).toBe(entry);
    await expect(fs.stat(target)).rejects.toThrow();
    expect(await fs.readdir(work)).toEqual(['raw', 'tampered.greenlens', 'x.greenlens']);
  });

  it('a byte flipped in the compressed archive is refused', async () => {
    const source = await populated();
    const work = await tempDir();
    const archive = path.join(work, 'x.greenlens');
    await exportRegistry(source.dir, archive);
    const bytes = await fs.readFile(archive);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await fs.writeFile(archive, bytes);
    const error = await caught(importRegistry(archive, path.join(work, 'target')));
    expect(error.code).toBe('corrupt');
    expect(error.info.file).toBe(archive);
    expect(await fs.readdir(work)).toEqual(['x.greenlens']);
  });

  it.each([
    ['a parent-folder path', [{ path: '../escaped.txt', data: 'x' }], '../escaped.txt'],
    ['an absolute path', [{ path: '/tmp/absolute-escape.txt', data: 'x' }], '/tmp/absolute-escape.txt'],
    ['a symlink', [{ path: 'models', type: 'SymbolicLink' as const, linkpath: '/etc' }], 'models'],
    ['a nested parent path', [{ path: 'models/../../escaped.txt', data: 'x' }], 'models/../../escaped.txt'],
  ])('an entry with %s is refused before anything is written', async (_label, entries, name) => {
    const work = await tempDir();
    const archive = path.join(work, 'evil.greenlens');
    await craftArchive(archive, [{ path: 'checksums.json', data: '{}' }, ...entries]);
    const target = path.join(work, 'inner', 'target');
    const error = await caught(importRegistry(archive, target));
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(JSON.stringify(name));
    expect(await fs.readdir(work)).toEqual(['evil.greenlens']);
    await expect(fs.stat(path.join(work, 'escaped.txt'))).rejects.toThrow();
  });

  it('an archive without checksums.json is not a GreenLens archive', async () => {
    const work = await tempDir();
    const archive = path.join(work, 'plain.greenlens');
    await craftArchive(archive, [{ path: 'greenlens-registry.json', data: '{}' }]);
    expect((await caught(importRegistry(archive, path.join(work, 't')))).message).toContain('checksums.json');
  });

  it('an extra file not listed in checksums.json is refused', async () => {
    const work = await tempDir();
    const archive = path.join(work, 'extra.greenlens');
    const manifest = JSON.stringify({ format: 'greenlens-registry', formatVersion: 1, createdAt: new Date().toISOString(), models: {} });
    const checksums = JSON.stringify({
      format: 'greenlens-archive',
      formatVersion: 1,
      createdAt: new Date().toISOString(),
      files: { 'greenlens-registry.json': { sha256: sha256(manifest), bytes: Buffer.byteLength(manifest) } },
    });
    await craftArchive(archive, [
      { path: 'checksums.json', data: checksums },
      { path: 'greenlens-registry.json', data: manifest },
      { path: '.sneaky', data: 'x' },
    ]);
    expect((await caught(importRegistry(archive, path.join(work, 't')))).message).toContain('.sneaky');
    // The same archive without the extra file imports fine.
    const clean = path.join(work, 'clean.greenlens');
    await craftArchive(clean, [
      { path: 'checksums.json', data: checksums },
      { path: 'greenlens-registry.json', data: manifest },
    ]);
    expect((await importRegistry(clean, path.join(work, 'ok'))).verify.ok).toBe(true);
  });
});

const MANIFEST = JSON.stringify({ format: 'greenlens-registry', formatVersion: 1, createdAt: '2024-01-01T00:00:00.000Z', models: {} });

/** checksums.json listing `files` (name → content) honestly. */
function checksumsFor(files: Record<string, string | Buffer>): string {
  return JSON.stringify({
    format: 'greenlens-archive',
    formatVersion: 1,
    createdAt: '2024-01-01T00:00:00.000Z',
    files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, { sha256: sha256(v), bytes: Buffer.byteLength(v) }])),
  });
}

describe('importing an archive someone else made', () => {
  it('keeps no foreign owner, no setuid bit and no loose modes', async () => {
    const work = await tempDir();
    const archive = path.join(work, 'modes.greenlens');
    const files = { 'greenlens-registry.json': MANIFEST, 'datasets/d1/data.csv': 'a,b\n1,2\n' };
    await craftArchive(archive, [
      { path: 'checksums.json', data: checksumsFor(files) },
      { path: 'greenlens-registry.json', data: MANIFEST, mode: 0o6777, uid: 12345, gid: 54321 },
      { path: 'datasets/', type: 'Directory', mode: 0o7777, uid: 12345, gid: 54321 },
      { path: 'datasets/d1/', type: 'Directory', mode: 0o777 },
      { path: 'datasets/d1/data.csv', data: files['datasets/d1/data.csv'], mode: 0o4755, uid: 12345 },
    ]);
    const target = path.join(work, 'imported');
    expect((await importRegistry(archive, target)).verify.ok).toBe(true);
    const me = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
    for (const [rel, mode] of [
      ['greenlens-registry.json', 0o644],
      ['datasets', 0o755],
      ['datasets/d1', 0o755],
      ['datasets/d1/data.csv', 0o644],
    ] as const) {
      const st = await fs.stat(path.join(target, rel));
      expect(st.mode & 0o7777, rel).toBe(mode);
      expect({ uid: st.uid, gid: st.gid }, rel).toEqual(me);
    }
  });

  it('extracts only what a registry holds: a planted .lock and stray files are dropped', async () => {
    const work = await tempDir();
    const archive = path.join(work, 'planted.greenlens');
    const files = {
      'greenlens-registry.json': MANIFEST,
      '.lock': JSON.stringify({ pid: 1, host: 'elsewhere', createdAt: '2024-01-01T00:00:00Z', token: 't' }),
      'evil.sh': '#!/bin/sh\nrm -rf ~\n',
      'models/.staging-x/version.json': '{}',
      'deployments.ndjson': '',
      'datasets/d1/dataset.json': '{}',
    };
    await craftArchive(archive, [
      { path: 'checksums.json', data: checksumsFor(files) },
      ...Object.entries(files).map(([p, data]) => ({ path: p, data })),
    ]);
    const target = path.join(work, 'imported');
    const imported = await importRegistry(archive, target);
    expect(imported.verify.ok).toBe(true);
    expect(Object.keys(await hashTree(target)).sort()).toEqual([
      'datasets/d1/dataset.json',
      'deployments.ndjson',
      'greenlens-registry.json',
    ]);
    // The registry is writable at once: no stale lock came with it.
    await (await Registry.open(target)).registerVersion(sampleInput('ahu', 1));
  });

  it('a gzip bomb is refused from its headers before anything is written, naming the archive', async () => {
    const work = await tempDir();
    const huge = Buffer.alloc(64 * 1024 * 1024);
    // Lying: the list says 10 bytes, the entry holds 64 MiB of zeros (64 KiB compressed).
    const liar = path.join(work, 'liar.greenlens');
    await craftArchive(liar, [
      { path: 'checksums.json', data: checksumsFor({ 'greenlens-registry.json': MANIFEST, 'models/m/blob': '0123456789' }) },
      { path: 'greenlens-registry.json', data: MANIFEST },
      { path: 'models/m/blob', data: huge },
    ]);
    expect((await fs.stat(liar)).size).toBeLessThan(1024 * 1024);
    // Only the two imports are timed: crafting the 64 MiB archives is not what is checked.
    let started = Date.now();
    const lie = await caught(importRegistry(liar, path.join(work, 't1')));
    let importMs = Date.now() - started;
    expect(lie.message).toBe(`${liar}: entry models/m/blob is ${huge.length} bytes; checksums.json says 10.`);
    expect(lie.info.file).toBe(liar);
    // Honest but over the limit: refused from the list alone.
    const honest = path.join(work, 'honest.greenlens');
    await craftArchive(honest, [
      { path: 'checksums.json', data: checksumsFor({ 'greenlens-registry.json': MANIFEST, 'models/m/blob': huge }) },
      { path: 'greenlens-registry.json', data: MANIFEST },
      { path: 'models/m/blob', data: huge },
    ]);
    started = Date.now();
    const over = await caught(importRegistry(honest, path.join(work, 't2'), { maxBytes: 32 * 1024 * 1024, maxEntries: 1000 }));
    importMs += Date.now() - started;
    expect(over.message).toBe(
      `${honest}: its files add up to ${(huge.length + MANIFEST.length).toLocaleString('en-US')} bytes, over the 33,554,432-byte limit.`,
    );
    expect(importMs).toBeLessThan(5000);
    expect((await fs.readdir(work)).sort()).toEqual(['honest.greenlens', 'liar.greenlens']);
  });

  it('extraction stops the moment it passes what the scan approved (an archive changed between the two reads)', async () => {
    const work = await tempDir();
    const archive = path.join(work, 'grown.greenlens');
    const blob = Buffer.alloc(8 * 1024 * 1024, 7);
    const files = { 'greenlens-registry.json': MANIFEST, 'models/m/a': blob, 'models/m/b': blob };
    await craftArchive(archive, [
      { path: 'checksums.json', data: checksumsFor(files) },
      ...Object.entries(files).map(([p, data]) => ({ path: p, data })),
    ]);
    const plan = await scanArchive(archive, DEFAULT_ARCHIVE_LIMITS);
    const dest = path.join(work, 'dest');
    await fs.mkdir(dest);
    // As if the scan had seen a smaller file: the second blob passes the budget.
    const error = await caught(extractArchive(archive, dest, { ...plan, bytes: plan.bytes - blob.length }));
    expect(error.message).toBe(`${archive}: holds more than its checksums.json declared; extraction was stopped.`);
    await expect(fs.stat(path.join(dest, 'models/m/b'))).rejects.toThrow();
  });

  it('too many entries are refused before extraction', async () => {
    const work = await tempDir();
    const archive = path.join(work, 'many.greenlens');
    const files: Record<string, string> = { 'greenlens-registry.json': MANIFEST };
    for (let i = 0; i < 40; i++) files[`models/m/f${i}`] = String(i);
    await craftArchive(archive, [
      { path: 'checksums.json', data: checksumsFor(files) },
      ...Object.entries(files).map(([p, data]) => ({ path: p, data })),
    ]);
    const error = await caught(importRegistry(archive, path.join(work, 't'), { maxBytes: 1e9, maxEntries: 20 }));
    expect(error.message).toBe(`${archive}: lists more than 20 entries.`);
    expect(await fs.readdir(work)).toEqual(['many.greenlens']);
  });
});

describe('leftovers of killed imports', () => {
  it('are removed on the next open when their process is gone; a live import and a fresh unknown one are kept', async () => {
    const work = await tempDir();
    const target = path.join(work, 'reg');
    await Registry.create(target);
    const host = os.hostname();
    const dead = path.join(work, `.reg.import-${host}-4194305-0123456789ab`);
    const live = path.join(work, `.reg.import-${host}-${process.pid}-0123456789ab`);
    const oldStyle = path.join(work, '.reg.import-a1b2c3d4e5f6');
    const freshOldStyle = path.join(work, '.reg.import-ffffffffffff');
    const other = path.join(work, '.other.import-a1b2c3d4e5f6');
    for (const d of [dead, live, oldStyle, freshOldStyle, other]) {
      await fs.mkdir(path.join(d, 'models'), { recursive: true });
      await fs.writeFile(path.join(d, 'greenlens-registry.json'), '{}');
    }
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    await fs.utimes(oldStyle, dayAgo, dayAgo);
    await Registry.open(target);
    expect((await fs.readdir(work)).sort()).toEqual(
      [path.basename(freshOldStyle), path.basename(live), path.basename(other), 'reg'].sort(),
    );
  });

  it('an import into the same target sweeps them first', async () => {
    const source = await populated();
    const work = await tempDir();
    const archive = path.join(work, 'x.greenlens');
    await exportRegistry(source.dir, archive);
    const dead = path.join(work, `.t.import-${os.hostname()}-4194305-0123456789ab`);
    await fs.mkdir(dead);
    await importRegistry(archive, path.join(work, 't'));
    expect((await fs.readdir(work)).sort()).toEqual(['t', 'x.greenlens']);
  });
});
