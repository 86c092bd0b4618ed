import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
