/**
 * Fault injection on the prediction log: a long-lived writer (the app's worker,
 * test/helpers/log-writer.ts) and `greenlens score` runs killed by strace at the
 * K-th call of a file-changing syscall, all logging to one registry. Used by
 * test/core/monitoring/log-faults.test.ts (a few kills) and bench/log-faults.bench.ts (hundreds).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PredictionLog, requestIdHash } from '../../src-main/core/monitoring';
import { cliArgv } from './cli';

export const STRACE = '/usr/bin/strace';
const WRITER = fileURLToPath(new URL('./log-writer.ts', import.meta.url));
const KILL_AT_WRITE = fileURLToPath(new URL('./kill-at-write.mjs', import.meta.url));

export function straceUsable(): boolean {
  if (!existsSync(STRACE)) return false;
  return spawnSync(STRACE, ['-f', '-e', 'trace=none', '/bin/true']).status === 0;
}

/** One place a run can be killed: on entering the `when`-th call of `syscall` (per thread). */
export interface KillPoint {
  syscall: string;
  when: number;
  /** Count only calls on this file (relative to the registry), as `strace -P` does. */
  path?: string;
}

/** Every syscall that changes a file of the log or the lock, each at its first few calls. */
export const KILL_POINTS: KillPoint[] = [
  ...[1, 2, 3, 4, 5, 6].map((when) => ({ syscall: 'pwrite64', when })),
  ...[1, 2, 3].map((when) => ({ syscall: 'write', when })),
  ...[1, 2].map((when) => ({ syscall: 'ftruncate', when })),
  ...[1, 2, 3].map((when) => ({ syscall: 'fdatasync', when })),
  ...[1, 2, 3].map((when) => ({ syscall: 'rename', when })),
  ...[1, 2].map((when) => ({ syscall: 'link', when })),
  ...[1, 2, 3].map((when) => ({ syscall: 'unlink', when })),
  // The generation counter older versions kept: a kill between its truncation and its write.
  { syscall: 'write', when: 1, path: 'predictions/.generation' },
];

export interface FaultWorld {
  dir: string;
  registry: string;
  csv: string;
  env: Record<string, string>;
  model: string;
  version: string;
  features: string[];
  /** Acknowledged requests (id hash → rows): each must be in the log at the end. */
  acked: Map<number, number>;
  kills: number;
  runs: number;
}

function cli(args: string[], env: Record<string, string>): { code: number | null; signal: string | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...cliArgv(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A registry with one trained model and one clean score logged (which tells the logged feature list). */
export async function createWorld(dir: string): Promise<FaultWorld> {
  mkdirSync(dir, { recursive: true });
  const env = { GREENLENS_CONFIG_DIR: join(dir, 'config'), GREENLENS_DATA_DIR: join(dir, 'data') };
  const csv = join(dir, 'sim.csv');
  const registry = join(dir, 'registry');
  const sim = cli(['simulate', '--out', csv, '--buildings', '1', '--days', '2', '--seed', '3'], env);
  if (sim.code !== 0) throw new Error(sim.stderr);
  const train = cli(['train', '--registry', registry, '--data', csv, '--trees', '10'], env);
  if (train.code !== 0) throw new Error(train.stderr);
  const world: FaultWorld = { dir, registry, csv, env, model: '', version: '', features: [], acked: new Map(), kills: 0, runs: 0 };
  scoreKilledAt(world, null);
  const log = await PredictionLog.open(join(registry, 'predictions'));
  const v = log.versions()[0];
  await log.close();
  if (!v) throw new Error('the first score logged nothing');
  Object.assign(world, { model: v.model, version: v.version, features: v.features });
  return world;
}

/**
 * One `greenlens score` under strace, killed at `point` (null: not killed).
 * A run that finishes is acknowledged; a killed one may or may not have logged.
 */
export function scoreKilledAt(world: FaultWorld, point: KillPoint | null): 'killed' | 'ok' {
  const args = ['score', '--registry', world.registry, '--data', world.csv, '--json'];
  const env = { ...process.env, ...world.env, UV_THREADPOOL_SIZE: '1' };
  world.runs++;
  const r = point
    ? spawnSync(
        STRACE,
        [
          '-f',
          '-qq',
          '-o',
          '/dev/null',
          ...(point.path ? ['-P', join(world.registry, point.path)] : []),
          '-e',
          `trace=${point.syscall}`,
          '-e',
          `inject=${point.syscall}:signal=KILL:when=${point.when}`,
          process.execPath,
          ...cliArgv(),
          ...args,
        ],
        { encoding: 'utf8', env, timeout: 120_000 },
      )
    : spawnSync(process.execPath, [...cliArgv(), ...args], { encoding: 'utf8', env, timeout: 120_000 });
  // strace exits with the tracee's status; a tracee killed by a signal makes strace re-raise it.
  const killed = r.signal === 'SIGKILL' || r.status === 137;
  if (killed) {
    world.kills++;
    return 'killed';
  }
  if (r.status !== 0) throw new Error(`score failed (exit ${r.status}, signal ${r.signal}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { requestId: string; logged: number };
  world.acked.set(requestIdHash(out.requestId), out.logged);
  return 'ok';
}

/**
 * One `greenlens score` that SIGKILLs itself on entering its `k`-th file-changing call
 * under the registry (kill-at-write.mjs); `k` = 0 kills nothing. Returns the calls seen
 * by a run that was not killed, so a caller can walk k = 1 … that count.
 */
export function scoreKilledAtWrite(world: FaultWorld, k: number): { outcome: 'killed' | 'ok'; calls: number } {
  const countFile = join(world.dir, `calls-${world.runs}.txt`);
  const env = { ...process.env, ...world.env, GL_KILL_DIR: world.registry, GL_KILL_AT: String(k), GL_KILL_COUNT_FILE: countFile };
  world.runs++;
  const args = ['score', '--registry', world.registry, '--data', world.csv, '--json'];
  const r = spawnSync(process.execPath, ['--import', KILL_AT_WRITE, ...cliArgv(), ...args], {
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  if (r.signal === 'SIGKILL') {
    world.kills++;
    return { outcome: 'killed', calls: k };
  }
  if (r.status !== 0) throw new Error(`score failed (exit ${r.status}, signal ${r.signal}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { requestId: string; logged: number };
  world.acked.set(requestIdHash(out.requestId), out.logged);
  return { outcome: 'ok', calls: Number(readFileSync(countFile, 'utf8')) };
}

/** The app's worker: one process, one cached log, many appends. */
export class AppWriter {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly replies: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private seq = 0;

  constructor(private readonly world: FaultWorld) {
    this.child = spawn(process.execPath, ['--import', 'tsx', WRITER, world.registry], { env: { ...process.env, ...world.env } });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      } else this.replies.push(line);
    });
  }

  private ask(cmd: object): Promise<Record<string, unknown>> {
    this.child.stdin.write(JSON.stringify(cmd) + '\n');
    return new Promise((resolve) => {
      const take = (line: string): void => resolve(JSON.parse(line) as Record<string, unknown>);
      const ready = this.replies.shift();
      if (ready !== undefined) take(ready);
      else this.waiting = take;
    });
  }

  /** Appends `rows` readings; `otherShape` logs another feature list (which needs a segment of its own). */
  async append(rows: number, otherShape = false): Promise<void> {
    const requestId = `app-${process.pid}-${++this.seq}`;
    const model = otherShape ? `${this.world.model}-other` : this.world.model;
    const features = otherShape ? ['app_only_feature'] : this.world.features;
    const r = await this.ask({ op: 'append', requestId, rows, model, version: this.world.version, features });
    if (typeof r.error === 'string') throw new Error(`app append failed: ${r.error}`);
    this.world.acked.set(requestIdHash(requestId), rows);
  }

  async count(): Promise<number> {
    const r = await this.ask({ op: 'count' });
    if (typeof r.count !== 'number') throw new Error(`app count failed: ${String(r.error)}`);
    return r.count;
  }

  close(): void {
    this.child.stdin.end();
  }
}

export interface FaultSummary {
  kills: number;
  runs: number;
  ackedRequests: number;
  lost: number;
  logCount: number;
  appCount: number;
  modelCount: number;
  healthCount: number;
  verifyOk: boolean;
  verifyProblems: string[];
}

/** Counts acknowledged readings missing from the log, and what verify, health and the app say. */
export async function summarize(world: FaultWorld, app: AppWriter): Promise<FaultSummary> {
  const verify = cli(['registry', 'verify', world.registry, '--json'], world.env);
  const verifyJson = JSON.parse(verify.stdout || '{}') as { ok?: boolean; problems?: { file: string; message: string }[] };
  const health = cli(['health', '--registry', world.registry, '--json'], world.env);
  const healthJson = JSON.parse(health.stdout || '{}') as { loggedPredictions?: number };
  const appCount = await app.count();
  const log = await PredictionLog.open(join(world.registry, 'predictions'));
  const { requests } = await log.readRequests();
  const logCount = log.count();
  const modelCount = log.count(world.model);
  await log.close();
  const found = new Map<number, number>();
  for (let i = 0; i < requests.requestId.length; i++) {
    const id = requests.requestId[i]!;
    found.set(id, (found.get(id) ?? 0) + requests.rows[i]!);
  }
  let lost = 0;
  for (const [id, rows] of world.acked) lost += Math.max(0, rows - (found.get(id) ?? 0));
  return {
    kills: world.kills,
    runs: world.runs,
    ackedRequests: world.acked.size,
    lost,
    logCount,
    appCount,
    modelCount,
    healthCount: healthJson.loggedPredictions ?? -1,
    verifyOk: verify.code === 0 && verifyJson.ok === true,
    verifyProblems: (verifyJson.problems ?? []).map((p) => `${p.file}: ${p.message}`),
  };
}

/**
 * `rounds` iterations of: the app appends (mostly the CLI's shape, so both write the
 * same segment), a score killed at the next kill point, the app appends again right
 * after the crash, and every few rounds a score that is not killed.
 */
export async function runFaults(world: FaultWorld, app: AppWriter, rounds: number, points: readonly KillPoint[] = KILL_POINTS) {
  for (let i = 0; i < rounds; i++) {
    await app.append(5 + (i % 7), i % 3 === 2);
    scoreKilledAt(world, points[i % points.length]!);
    await app.append(3);
    if (i % 4 === 3) scoreKilledAt(world, null);
  }
}
