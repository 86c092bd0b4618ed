/**
 * Preload (`node --import`) that SIGKILLs its own process on entering the K-th
 * file-changing call on a path under GL_KILL_DIR: fs.promises writes, truncates,
 * syncs, renames, links, unlinks and writeFile. The in-process twin of
 * `strace -e inject=…:signal=KILL:when=K`, without ptrace's cost and limited to the
 * registry's files, so K = 1, 2, … walks every write of the log in order.
 *   GL_KILL_DIR=<registry> GL_KILL_AT=<K>  (GL_KILL_AT=0 only counts)
 *   GL_KILL_COUNT_FILE=<file>  receives the number of calls seen (for a run not killed)
 */
import { writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const dir = process.env.GL_KILL_DIR ? path.resolve(process.env.GL_KILL_DIR) : null;
const killAt = Number(process.env.GL_KILL_AT ?? '0');
const countFile = process.env.GL_KILL_COUNT_FILE;
let seen = 0;

function inside(p) {
  if (dir === null || typeof p !== 'string') return false;
  const abs = path.resolve(p);
  return abs === dir || abs.startsWith(dir + path.sep);
}

function step(p) {
  if (!inside(p)) return;
  seen++;
  if (seen === killAt) process.kill(process.pid, 'SIGKILL');
}

if (dir !== null) {
  const handlePaths = new WeakMap();
  const probe = await fs.open(process.execPath, 'r');
  const FileHandle = Object.getPrototypeOf(probe);
  await probe.close();
  for (const name of ['write', 'writev', 'truncate', 'datasync', 'sync', 'writeFile', 'appendFile']) {
    const original = FileHandle[name];
    FileHandle[name] = function (...args) {
      step(handlePaths.get(this));
      return original.apply(this, args);
    };
  }
  const open = fs.open;
  fs.open = async function (p, ...rest) {
    const fh = await open.call(this, p, ...rest);
    handlePaths.set(fh, typeof p === 'string' ? path.resolve(p) : String(p));
    return fh;
  };
  for (const name of ['rename', 'link', 'unlink', 'rm', 'writeFile', 'appendFile', 'truncate', 'rmdir']) {
    const original = fs[name];
    fs[name] = function (first, second, ...rest) {
      step(typeof second === 'string' && name !== 'writeFile' && name !== 'appendFile' && inside(second) ? second : first);
      return original.call(this, first, second, ...rest);
    };
  }
  // Named imports of node:fs/promises see the wrappers only after this.
  syncBuiltinESMExports();
  if (countFile) process.on('exit', () => writeFileSync(countFile, String(seen)));
}
