import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomSuffix } from './atomic';

/**
 * An import extracts into `.<target>.import-<host>-<pid>-<random>` beside the
 * target and renames it into place; a killed import leaves that folder behind.
 * The next open of the target (or the next import into it) removes the leftovers
 * of imports whose process is gone. Folders from another host, or named the older
 * way without a pid, go once they are a day old.
 */

const STALE_MS = 24 * 60 * 60_000;

export function importTempDir(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.import-${os.hostname()}-${process.pid}-${randomSuffix()}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function sweepImportLeftovers(target: string): Promise<void> {
  const parent = path.dirname(target);
  const prefix = `.${path.basename(target)}.import-`;
  const names = await fs.readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(.+)-(\d+)-[0-9a-f]{12}$/.exec(name.slice(prefix.length));
    const full = path.join(parent, name);
    let stale: boolean;
    if (m && m[1] === os.hostname()) stale = Number(m[2]) !== process.pid && !alive(Number(m[2]));
    else {
      const st = await fs.lstat(full).catch(() => null);
      stale = st !== null && Date.now() - st.mtimeMs > STALE_MS;
    }
    if (stale) await fs.rm(full, { recursive: true, force: true }).catch(() => undefined);
  }
}
