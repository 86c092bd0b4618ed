/**
 * Crash trials of `greenlens watch --once`: a run is SIGKILLed on entering its
 * K-th file-changing call under the registry (kill-at-write.mjs), then a clean
 * run finishes the pass. Afterwards every file must be done or failed exactly
 * once, each file's readings in the prediction log exactly once, one
 * challenger per drifted file, one promotion of it, and `registry verify` OK.
 * Used by test/backend/loop/watch-kill.test.ts (a few trials) and
 * bench/watch-kill.bench.ts (30 and more).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWatchState } from '../../src-main/core/loop/watch-state';
import { PredictionLog, requestIdHash } from '../../src-main/core/monitoring';
import { Registry } from '../../src-main/core/registry';
import { readDeployments } from '../../src-main/core/registry/deployments';
import { cliArgv } from './cli';

const KILL_AT_WRITE = fileURLToPath(new URL('./kill-at-write.mjs', import.meta.url));

export interface KillWorld {
  base: string;
  inbox: string;
  policy: string;
  /** Data file name → readings, for the files that must end `done`. */
  rows: Record<string, number>;
  failing: string[];
  drifted: string;
}

export interface TrialResult {
  k: number;
  killed: boolean;
  problems: string[];
}

export function watchRun(registry: string, world: KillWorld, env: Record<string, string> = {}) {
  const args = [...(env.GL_KILL_DIR ? ['--import', KILL_AT_WRITE] : []), ...cliArgv(), 'watch'];
  args.push('--registry', registry, '--folder', world.inbox, '--policy', world.policy, '--once', '--json', '--settle', '0');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** File-changing calls under the registry in one uninterrupted pass (from a copy of the base). */
export function countWrites(world: KillWorld, scratch: string): number {
  const reg = join(scratch, 'count-reg');
  cpSync(world.base, reg, { recursive: true });
  const countFile = join(scratch, 'count.txt');
  const r = watchRun(reg, world, { GL_KILL_DIR: reg, GL_KILL_AT: '0', GL_KILL_COUNT_FILE: countFile });
  if (r.code !== 0) throw new Error(`counting run failed: ${r.stderr}`);
  return Number(readFileSync(countFile, 'utf8'));
}

export async function killTrial(world: KillWorld, scratch: string, trial: number, k: number): Promise<TrialResult> {
  const reg = join(scratch, `trial-${trial}`);
  mkdirSync(scratch, { recursive: true });
  cpSync(world.base, reg, { recursive: true });
  const first = watchRun(reg, world, { GL_KILL_DIR: reg, GL_KILL_AT: String(k) });
  const killed = first.signal === 'SIGKILL';
  const problems: string[] = [];
  if (!killed && first.code !== 0) problems.push(`run killed at ${k} ended with ${first.code}: ${first.stderr.slice(0, 300)}`);
  const second = watchRun(reg, world);
  if (second.code !== 0) problems.push(`finishing run ended with ${second.code}: ${second.stderr.slice(0, 300)}`);
  problems.push(...(await checkWorld(reg, world)));
  return { k, killed, problems };
}

export async function checkWorld(reg: string, world: KillWorld): Promise<string[]> {
  const problems: string[] = [];
  const state = (await readWatchState(reg)).folders[world.inbox] ?? {};
  for (const name of Object.keys(world.rows))
    if (state[name]?.status !== 'done') problems.push(`${name} is ${state[name]?.status ?? 'not processed'}`);
  for (const name of world.failing)
    if (state[name]?.status !== 'failed') problems.push(`${name} is ${state[name]?.status ?? 'not processed'}, not failed`);
  const log = await PredictionLog.open(join(reg, 'predictions'));
  try {
    const { requests } = await log.readRequests();
    for (const [name, rows] of Object.entries(world.rows)) {
      const hash = requestIdHash(state[name]?.requestId ?? '');
      const at = [...requests.requestId.keys()].filter((i) => requests.requestId[i] === hash);
      if (at.length !== 1) problems.push(`${name} is in the prediction log ${at.length} times`);
      else if (requests.rows[at[0]!] !== rows) problems.push(`${name}: ${requests.rows[at[0]!]} readings logged, ${rows} in the file`);
    }
    const total = Object.values(world.rows).reduce((a, b) => a + b, 0);
    if (log.count() !== total) problems.push(`the log holds ${log.count()} readings, the files ${total}`);
  } finally {
    await log.close();
  }
  const registry = await Registry.open(reg);
  const drifted = join(world.inbox, world.drifted);
  const challengers = (await registry.listVersions('energy-anomaly')).filter((v) => v.lineage?.source === drifted);
  if (challengers.length !== 1) problems.push(`${challengers.length} challengers were trained on ${world.drifted}`);
  const promotions = (await readDeployments(reg)).events.filter((e) => e.action === 'promote' && e.to === challengers[0]?.version);
  if (promotions.length !== 1) problems.push(`${promotions.length} promotions of the challenger`);
  const verify = await registry.verify();
  for (const p of verify.problems.filter((x) => x.severity === 'error')) problems.push(`verify: ${p.file}: ${p.message}`);
  return problems;
}

/** Writes the policy a kill world uses: every challenger passes, so the promotion path always runs. */
export function writeAlwaysPromote(file: string): void {
  writeFileSync(
    file,
    JSON.stringify({
      retrain: { onDrift: true },
      promote: { auto: true, rules: { f1MaxDrop: 1, aucMaxDrop: 1, anomalyRateBand: 10, latencyMaxIncrease: 100 } },
    }),
  );
}
