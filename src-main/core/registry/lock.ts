import { AsyncLocalStorage } from 'node:async_hooks';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GreenLensError } from '../../contract/shared/errors';
import { ioError, randomSuffix } from './atomic';

/**
 * One writer at a time per registry, across processes and hosts (a registry
 * may live on a shared drive). The lock is a file created with O_EXCL; its
 * content says who holds it so a stale one (crashed writer) can be taken over
 * and a live one can be named in the error.
 */

export const LOCK_FILE = '.lock';

export interface LockInfo {
  pid: number;
  host: string;
  createdAt: string;
  /** Random per acquisition: lets release and takeover tell two locks of one pid apart. */
  token: string;
}

export interface LockOptions {
  /** How long to keep retrying while another live writer holds the lock. */
  timeoutMs?: number;
  /** A lock from another host whose file has not been touched for this long is stale. */
  staleMs?: number;
}

const DEFAULT_TIMEOUT_MS = 1_000;
const DEFAULT_STALE_MS = 10 * 60_000;
const RETRY_MS = 25;
/** Only the O_EXCL fallback can leave an empty lock (crash between create and write); one older than this is a leftover. */
const UNWRITTEN_GRACE_MS = 5_000;
const LEFTOVER_AGE_MS = 30_000;
/** Holders refresh the file's mtime so a long export is not mistaken for stale on another host. */
const HEARTBEAT_MS = 60_000;

const heldKeys = new AsyncLocalStorage<ReadonlySet<string>>();
/**
 * Async flows inside heldKeys.run. Node 20's AsyncLocalStorage runs JS hooks on
 * every promise while it is enabled, for the rest of the process: a CLI score
 * made ~2,200 promises after logging its predictions under the lock, and
 * V8 compiled the hooks for ~35 ms of CPU. So it is disabled again whenever no
 * flow holds a lock (run() enables it anew); a disabled store reads undefined,
 * which is the truth then.
 */
let flowsHolding = 0;
const heldTokens = new Set<string>();
const queueTails = new Map<string, Promise<void>>();

/**
 * Runs `fn` holding the registry's writer lock. Nested calls from the same
 * async flow re-enter; concurrent calls within this process queue behind each
 * other (a plain counter would let two unrelated async writers in together).
 */
export async function withLock<T>(registryDir: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const key = await lockKey(registryDir);
  const held = heldKeys.getStore();
  if (held?.has(key)) return fn();
  return serialize(key, async () => {
    const release = await acquireFileLock(key, options);
    flowsHolding++;
    try {
      return await heldKeys.run(new Set([...(held ?? []), key]), fn);
    } finally {
      if (--flowsHolding === 0) heldKeys.disable();
      await release();
    }
  });
}

/** True when the current async flow already holds the lock for `registryDir`. */
export async function holdsLock(registryDir: string): Promise<boolean> {
  return heldKeys.getStore()?.has(await lockKey(registryDir)) ?? false;
}

async function lockKey(dir: string): Promise<string> {
  // Two spellings of one folder (relative, symlinked) must share one queue.
  return fs.realpath(dir).catch(() => path.resolve(dir));
}

async function serialize<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queueTails.get(key) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => {
    done = resolve;
  });
  const tail = previous.then(() => mine);
  queueTails.set(key, tail);
  await previous;
  try {
    return await work();
  } finally {
    done();
    if (queueTails.get(key) === tail) queueTails.delete(key);
  }
}

interface LockOnDisk {
  info: LockInfo | null;
  text: string;
  mtimeMs: number;
  ino: number;
  dev: number;
}

async function acquireFileLock(dir: string, options: LockOptions): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  for (;;) {
    const info: LockInfo = { pid: process.pid, host: os.hostname(), createdAt: new Date().toISOString(), token: randomSuffix() };
    if (await tryCreate(file, info)) {
      await sweepLeftovers(dir);
      return holdUntilReleased(file, info);
    }
    const holder = await readLock(file);
    if (holder === null) continue; // released between our attempt and the read
    if (isStale(holder, staleMs)) {
      await takeOver(file, holder);
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(file, holder);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

/**
 * Exclusive create with the content already in place: the info is written to
 * a private file and hard-linked to `.lock` (link fails if `.lock` exists,
 * like O_EXCL). A writer killed half-way thus never leaves an empty lock that
 * nobody can attribute. File systems without hard links (FAT, exFAT) fall
 * back to O_EXCL create + write.
 */
async function tryCreate(file: string, info: LockInfo): Promise<boolean> {
  const draft = `${file}.${info.pid}.${info.token}`;
  try {
    await fs.writeFile(draft, JSON.stringify(info), { flag: 'wx' });
  } catch (error) {
    throw ioError(error, draft, 'create the lock file');
  }
  try {
    await fs.link(draft, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') return tryCreateExclusive(file, info);
    throw ioError(error, file, 'create the lock file');
  } finally {
    await fs.rm(draft, { force: true }).catch(() => undefined);
  }
}

async function tryCreateExclusive(file: string, info: LockInfo): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw ioError(error, file, 'create the lock file');
  }
  try {
    await handle.writeFile(JSON.stringify(info));
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(file, { force: true }).catch(() => undefined);
    throw ioError(error, file, 'write the lock file');
  }
  await handle.close();
  return true;
}

/**
 * Removes drafts and moved-aside locks of writers that died mid-acquire. Only
 * the lock holder sweeps, and only old entries of dead local pids, so a
 * writer on another host that is between its draft and its link is spared.
 */
async function sweepLeftovers(dir: string): Promise<void> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of entries) {
    if (!name.startsWith(`${LOCK_FILE}.`)) continue;
    const draft = /^\.lock\.(\d+)\.[0-9a-f]+$/.exec(name);
    const candidate = draft ? Number(draft[1]) !== process.pid && !pidAlive(Number(draft[1])) : name.startsWith(`${LOCK_FILE}.stale-`);
    if (!candidate) continue;
    const full = path.join(dir, name);
    const age = await fs.stat(full).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > LEFTOVER_AGE_MS) await fs.rm(full, { force: true }).catch(() => undefined);
  }
}

function holdUntilReleased(file: string, info: LockInfo): () => Promise<void> {
  heldTokens.add(info.token);
  const heartbeat = setInterval(() => {
    const now = new Date();
    fs.utimes(file, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return async () => {
    clearInterval(heartbeat);
    heldTokens.delete(info.token);
    // Only remove the file if it is still ours; never delete another writer's lock.
    const current = await readLock(file).catch(() => null);
    if (current?.info?.token === info.token) await fs.rm(file, { force: true });
  };
}

async function readLock(file: string): Promise<LockOnDisk | null> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    return { info: parseLockInfo(text), text, mtimeMs: stat.mtimeMs, ino: stat.ino, dev: stat.dev };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw ioError(error, file, 'read the lock file');
  }
}

function parseLockInfo(text: string): LockInfo | null {
  try {
    const v = JSON.parse(text) as Partial<LockInfo> | null;
    if (v && typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.createdAt === 'string') {
      return { pid: v.pid, host: v.host, createdAt: v.createdAt, token: typeof v.token === 'string' ? v.token : '' };
    }
  } catch {
    // fall through: an unparseable lock is judged by its age
  }
  return null;
}

function isStale(lock: LockOnDisk, staleMs: number): boolean {
  const age = Date.now() - lock.mtimeMs;
  if (!lock.info) return age > UNWRITTEN_GRACE_MS;
  if (lock.info.host !== os.hostname()) return age > staleMs;
  // Our own pid but a token we do not hold: left behind by an earlier process that had our pid.
  if (lock.info.pid === process.pid) return !heldTokens.has(lock.info.token);
  return !pidAlive(lock.info.pid);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a stale lock without racing another process doing the same: move it
 * aside under a private name, then check it is the very file judged stale
 * (same inode). If a new live lock was moved by mistake, link it back.
 */
async function takeOver(file: string, judged: LockOnDisk): Promise<void> {
  const aside = `${file}.stale-${randomSuffix()}`;
  try {
    await fs.rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw ioError(error, file, 'take over the stale lock file');
  }
  const moved = await readLock(aside);
  if (moved && (moved.ino !== judged.ino || moved.dev !== judged.dev)) {
    await fs.link(aside, file).catch(() => undefined);
  }
  await fs.rm(aside, { force: true });
}

function lockedError(file: string, holder: LockOnDisk): GreenLensError {
  const who = holder.info
    ? `pid ${holder.info.pid} on host ${holder.info.host} since ${holder.info.createdAt}`
    : `a process that is still writing the lock file ${file}`;
  return new GreenLensError(
    'locked',
    `Registry is locked by ${who}; another GreenLens window or command is writing to it. Try again when it has finished.`,
    { file, hint: `If that process is no longer running, delete ${file}.` },
  );
}
