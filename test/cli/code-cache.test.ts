import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BODY_FILE, BODY_WRAPPER, cacheName, CodeCache } from '../../src-main/cli/body';
import { tempDir } from '../helpers/backend';

const dir = tempDir('gl-code-cache-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the code cache files', () => {
  it('are named by command, Node and the body file, so a rebuild or another command never reads them', () => {
    const body = { size: 1_395_473, mtimeMs: 1_796_161_673_886.779 };
    const score = cacheName('score', body, []);
    // No flags: FNV-1a of the empty string.
    const node = `${process.version}-${process.arch}-811c9dc5`;
    expect(score).toEqual({ prefix: `cli-score-${node}-`, file: `cli-score-${node}-1395473-1796161673886779.v8` });
    expect(cacheName('score', { ...body, mtimeMs: body.mtimeMs + 1 }, []).file).not.toBe(score.file);
    expect(cacheName('score', { ...body, size: body.size + 1 }, []).file).not.toBe(score.file);
    expect(cacheName('drift', body, []).prefix).toBe(`cli-drift-${node}-`);
    // Other Node flags: another file, which neither replaces the other.
    const flagged = cacheName('score', body, ['--single-threaded']);
    expect(flagged.prefix).toMatch(new RegExp(`^cli-score-${process.version}-${process.arch}-[0-9a-f]{8}-$`));
    expect(flagged.prefix).not.toBe(score.prefix);
    expect(flagged.file.startsWith(score.prefix)).toBe(false);
    expect(score.file.startsWith(flagged.prefix)).toBe(false);
    // A name that is not a command's (a typo, a path, nothing) shares one file.
    for (const odd of ['../etc', 'Score', '--help', undefined]) expect(cacheName(odd, body, []).prefix).toBe(`cli-other-${node}-`);
  });

  it('are read whole or not at all, written by rename, and replace only older files of the same command', () => {
    const at = join(dir, 'files');
    const old = new CodeCache(at, cacheName('score', { size: 1, mtimeMs: 1 }, []));
    const other = new CodeCache(at, cacheName('train', { size: 1, mtimeMs: 1 }, []));
    const flagged = new CodeCache(at, cacheName('score', { size: 1, mtimeMs: 1 }, ['--single-threaded']));
    const current = new CodeCache(at, cacheName('score', { size: 2, mtimeMs: 2 }, []));
    expect(current.read()).toBeNull();
    expect(old.write(Buffer.from('old'))).toBeNull();
    expect(other.write(Buffer.from('train'))).toBeNull();
    expect(flagged.write(Buffer.from('flagged'))).toBeNull();
    writeFileSync(current.file, '');
    expect(current.read()).toBeNull();
    expect(current.write(Buffer.from('new'))).toBeNull();
    expect(current.read()?.toString()).toBe('new');
    // The older body's file is gone; another command's and other flags' stay.
    expect(readdirSync(at).sort()).toEqual([current.file, other.file, flagged.file].map((f) => basename(f)).sort());
    expect(existsSync(old.file)).toBe(false);
    // A folder that cannot be made: the reason, and nothing left behind.
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the folder should be');
    const failed = new CodeCache(join(blocked, 'code-cache'), cacheName('score', { size: 2, mtimeMs: 2 }, [])).write(Buffer.from('x'));
    expect(failed).toMatch(/EEXIST|ENOTDIR/);
  });
});

const built = process.env.GREENLENS_TEST_CLI;

/** The built CLI compiles its body with the cache; from source (a lone `npx vitest run`) there is no body to cache. */
describe.skipIf(!built)('the built CLI with its code cache (npm test builds it)', () => {
  const data = join(dir, 'data');
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [built!, ...args], { encoding: 'utf8', env: { ...process.env, GREENLENS_DATA_DIR: data } });
    return { code: r.status, stderr: r.stderr };
  };
  const states = (stderr: string) => [...stderr.matchAll(/^greenlens: code cache (\S+)/gm)].map((m) => m[1]);
  const caches = () => (existsSync(join(data, 'code-cache')) ? readdirSync(join(data, 'code-cache')) : []);

  it('is ASCII text, one function expression that V8 compiles as it is read', () => {
    const body = readFileSync(join(dirname(built!), BODY_FILE), 'latin1');
    expect(body.startsWith(BODY_WRAPPER.start)).toBe(true);
    expect(body.endsWith(BODY_WRAPPER.end + '\n')).toBe(true);
    // ASCII: read on V8's fast path (a regex's 'ß' was the one exception); a character above U+00FF would make all of
    // it two-byte text, twice the memory.
    expect([...body].find((c) => c.charCodeAt(0) > 0x7f)).toBeUndefined();
  });

  it('writes the cache after a command, uses it next time, and recovers from a damaged one with the same output', () => {
    mkdirSync(data, { recursive: true });
    const out = (k: number) => join(dir, `sim-${k}.csv`);
    const simulate = (k: number) => run('simulate', '--buildings', '2', '--days', '3', '--seed', '7', '--out', out(k), '--verbose');

    expect(run('simulate', '--help').code).toBe(0);
    expect(caches()).toEqual([]);

    const first = simulate(1);
    expect(first.code).toBe(0);
    expect(states(first.stderr)).toEqual(['missing', 'written']);
    expect(caches()).toHaveLength(1);
    const file = join(data, 'code-cache', caches()[0]!);
    expect(caches()[0]).toMatch(/^cli-simulate-v\d+\.\d+\.\d+-\w+-[0-9a-f]{8}-\d+-\d+\.v8$/);

    const second = simulate(2);
    expect(second.code).toBe(0);
    expect(states(second.stderr)).toEqual(['used']);

    // Garbage of the same length: V8 rejects it, the body compiles as usual and the cache is written again.
    writeFileSync(file, Buffer.alloc(readFileSync(file).length, 0x5a));
    const third = simulate(3);
    expect(third.code).toBe(0);
    expect(states(third.stderr)).toEqual(['rejected', 'written']);
    expect(states(simulate(4).stderr)).toEqual(['used']);

    for (const k of [2, 3, 4]) expect(readFileSync(out(k)).equals(readFileSync(out(1)))).toBe(true);
    // A failed command writes no cache of its own.
    const failed = run('drift', '--verbose', '--registry', join(dir, 'none'), '--data', join(dir, 'missing.csv'));
    expect(failed.code).not.toBe(0);
    expect(caches().some((f) => f.startsWith('cli-drift-'))).toBe(false);
  }, 60_000);
});
