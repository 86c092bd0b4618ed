import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSha256, hashOnThread } from '../../../src-main/backend/loop/training-file';

describe('the training file hash (hashed on a thread of its own)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gl-hash-'));

  it('gives sha256 known answers, on the thread and through fileSha256', async () => {
    const abc = join(dir, 'abc.txt');
    writeFileSync(abc, 'abc');
    const known = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(await hashOnThread(abc)).toBe(known);
    expect(await fileSha256(abc)).toBe(known);
    // More than one 1 MB read: the chunks are hashed in order.
    const big = join(dir, 'big.bin');
    const bytes = Buffer.alloc(3_500_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    writeFileSync(big, bytes);
    expect(await hashOnThread(big)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('a file that cannot be read fails with the read error, not a hash', async () => {
    const missing = join(dir, 'missing.csv');
    await expect(hashOnThread(missing)).rejects.toThrow(/ENOENT/);
    await expect(fileSha256(missing)).rejects.toThrow(/ENOENT.*missing\.csv/);
  });
});
