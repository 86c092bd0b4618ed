import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const entry = fileURLToPath(new URL('../../src-main/cli/index.ts', import.meta.url));

/**
 * The node arguments that start the CLI. `npm test` builds first and sets
 * GREENLENS_TEST_CLI to the built out/main/cli.js, so the suite runs what users
 * run and skips tsx's per-process compile (about a second per spawn, 200+
 * spawns); a lone `npx vitest run` runs the source through tsx, so an edit
 * needs no rebuild.
 */
export function cliArgv(): string[] {
  const built = process.env.GREENLENS_TEST_CLI;
  return built ? [built] : ['--import', 'tsx', entry];
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (built by `npm test`, else from source through tsx) in a child process. */
export function runCli(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [...cliArgv(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A registry trained by the CLI on 2 simulated buildings × 14 days (a small Isolation Forest) with one alert rule,
 * an anomaly rate above 0.1 % (critical), that any score of those readings breaks: for the alert commands' tests.
 * Returns the readings file.
 */
export function registryWithRateRule(dir: string, registry: string, env: Record<string, string>): string {
  const csv = join(dir, 'readings.csv');
  expect(runCli(['simulate', '--out', csv, '--buildings', '2', '--days', '14'], env).code).toBe(0);
  expect(runCli(['train', '--registry', registry, '--data', csv, '--algorithm', 'isolation-forest', '--trees', '20'], env).code).toBe(0);
  mkdirSync(join(registry, 'alerts'), { recursive: true });
  writeFileSync(
    join(registry, 'alerts', 'rules.json'),
    JSON.stringify({ formatVersion: 1, rules: [{ id: 'rate', kind: 'anomaly-rate', threshold: 0.001, severity: 'critical' }] }),
  );
  return csv;
}
