import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openUploads, privateBase } from '../../src-main/web/uploads';
import { tempDir } from '../helpers/backend';

const uid = process.getuid?.() ?? 0;

describe('web uploads folder', () => {
  it('is private to this user (0700), created fresh', async () => {
    const base = tempDir('gl-up-');
    const uploads = await openUploads(base);
    expect(uploads.dir.startsWith(join(base, `greenlens-${uid}`, 'uploads'))).toBe(true);
    for (const d of [join(base, `greenlens-${uid}`), join(base, `greenlens-${uid}`, 'uploads'), uploads.dir]) {
      expect(statSync(d).mode & 0o777, d).toBe(0o700);
    }
    await uploads.close();
    expect(existsSync(uploads.dir)).toBe(false);
  });

  it.skipIf(uid !== 0)('a folder pre-created by another user is not used', async () => {
    const base = tempDir('gl-up-');
    const planted = join(base, `greenlens-${uid}`);
    mkdirSync(planted, { mode: 0o777 });
    chmodSync(planted, 0o777);
    chownSync(planted, 12345, 12345);
    const dir = await privateBase(base);
    expect(dir).not.toBe(planted);
    expect(lstatSync(dir).uid).toBe(uid);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('a link planted in its place is not followed, and loose modes of our own folder are tightened', async () => {
    const base = tempDir('gl-up-');
    const elsewhere = tempDir('gl-up-target-');
    symlinkSync(elsewhere, join(base, `greenlens-${uid}`));
    const dir = await privateBase(base);
    expect(dir).not.toBe(join(base, `greenlens-${uid}`));
    expect(readdirSync(elsewhere)).toEqual([]);
    const base2 = tempDir('gl-up-');
    mkdirSync(join(base2, `greenlens-${uid}`), { mode: 0o755 });
    chmodSync(join(base2, `greenlens-${uid}`), 0o755);
    expect(await privateBase(base2)).toBe(join(base2, `greenlens-${uid}`));
    expect(statSync(join(base2, `greenlens-${uid}`)).mode & 0o777).toBe(0o700);
  });

  it('uploads of runs that died are removed at start; a live run keeps its own', async () => {
    const base = tempDir('gl-up-');
    const first = await openUploads(base);
    const root = join(first.dir, '..');
    // A run whose process is gone (pid 2^22+1 is above Linux's pid_max default), and one that is alive.
    const dead = join(root, 'run-4194305-deadbeef');
    mkdirSync(dead);
    const second = await openUploads(base);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(first.dir)).toBe(true);
    expect(existsSync(second.dir)).toBe(true);
    await first.close();
    await second.close();
  });
});
