import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GreenLensError } from '../../../src-main/contract/shared/errors';
import { holdsLock, withLock } from '../../../src-main/core/registry/lock';
import { tempDir } from './helpers/temp';

/** A pid that certainly belongs to no running process: a child that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid ?? 999_999;
}

function lockJson(pid: number, host: string, createdAt = new Date().toISOString()): string {
  return JSON.stringify({ pid, host, createdAt, token: 'feedface' });
}

describe('registry lock', () => {
  it('creates .lock with pid, host and time while held, and removes it after', async () => {
    const dir = await tempDir();
    const seen = await withLock(dir, async () => JSON.parse(await fs.readFile(path.join(dir, '.lock'), 'utf8')) as Record<string, unknown>);
    expect(seen).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(Date.parse(String(seen.createdAt))).not.toBeNaN();
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('re-enters within one async flow and serialises concurrent flows in one process', async () => {
    const dir = await tempDir();
    expect(await withLock(dir, () => withLock(dir, async () => holdsLock(dir)))).toBe(true);
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        withLock(dir, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
  });

  it('work left running after the lock is released takes it again instead of running unlocked', async () => {
    const dir = await tempDir();
    let later!: Promise<{ held: boolean; file: string[] }>;
    await withLock(dir, async () => {
      // Fire and forget: it wakes after the outer lock is gone.
      later = new Promise((resolve) => setTimeout(resolve, 30)).then(() =>
        withLock(dir, async () => ({ held: await holdsLock(dir), file: await fs.readdir(dir) })),
      );
    });
    expect(await holdsLock(dir)).toBe(false);
    expect(await later).toEqual({ held: true, file: ['.lock'] });
    // And the lock still re-enters after the store was switched off and on again.
    expect(await withLock(dir, () => withLock(dir, async () => holdsLock(dir)))).toBe(true);
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('releases the lock when the work throws', async () => {
    const dir = await tempDir();
    await expect(
      withLock(dir, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('a live holder on this host: "locked by pid … on host … since …", lock left alone', async () => {
    const dir = await tempDir();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      const content = lockJson(sleeper.pid ?? 0, os.hostname(), '2024-03-01T09:00:00.000Z');
      await fs.writeFile(path.join(dir, '.lock'), content);
      const error = (await withLock(dir, async () => 'never', { timeoutMs: 100 }).catch((e: unknown) => e)) as GreenLensError;
      expect(error).toBeInstanceOf(GreenLensError);
      expect(error.code).toBe('locked');
      expect(error.message).toBe(
        `Registry is locked by pid ${sleeper.pid} on host ${os.hostname()} since 2024-03-01T09:00:00.000Z; another GreenLens window or command is writing to it. Try again when it has finished.`,
      );
      expect(error.info.file).toBe(path.join(dir, '.lock'));
      expect(await fs.readFile(path.join(dir, '.lock'), 'utf8')).toBe(content);
    } finally {
      sleeper.kill();
    }
  });

  it('a dead pid on this host is stale and taken over', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, '.lock'), lockJson(await deadPid(), os.hostname()));
    const holder = await withLock(dir, async () => JSON.parse(await fs.readFile(path.join(dir, '.lock'), 'utf8')) as { pid: number }, {
      timeoutMs: 0,
    });
    expect(holder.pid).toBe(process.pid);
  });

  it('another host: fresh means locked, untouched for longer than staleMs means taken over', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.lock');
    await fs.writeFile(file, lockJson(1, 'some-other-host'));
    await expect(withLock(dir, async () => 'x', { timeoutMs: 0 })).rejects.toThrow(/locked by pid 1 on host some-other-host/);
    const old = new Date(Date.now() - 11 * 60_000);
    await fs.utimes(file, old, old);
    await expect(withLock(dir, async () => 'taken', { timeoutMs: 0 })).resolves.toBe('taken');
  });

  it('an unreadable (empty) lock is waited on briefly, then treated as a crash leftover', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.lock');
    await fs.writeFile(file, '');
    await expect(withLock(dir, async () => 'x', { timeoutMs: 0 })).rejects.toMatchObject({ code: 'locked' });
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(file, old, old);
    await expect(withLock(dir, async () => 'ok', { timeoutMs: 0 })).resolves.toBe('ok');
  });

  it('waits for a holder in another process that finishes within the timeout', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.lock');
    const holder = spawn(process.execPath, [
      '-e',
      `
      const fs = require('fs');
      fs.writeFileSync(${JSON.stringify(file)}, JSON.stringify({ pid: process.pid, host: require('os').hostname(), createdAt: new Date().toISOString(), token: 'x' }));
      console.log('held');
      setTimeout(() => { fs.unlinkSync(${JSON.stringify(file)}); }, 300);
      setTimeout(() => {}, 2000);
    `,
    ]);
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    const started = Date.now();
    await expect(withLock(dir, async () => 'mine', { timeoutMs: 5_000 })).resolves.toBe('mine');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    holder.kill();
  });
});
