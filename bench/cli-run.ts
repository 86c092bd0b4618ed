// Helpers shared by the CLI-vs-pandas benchmarks (not a benchmark itself: no .bench.ts suffix).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { csvChunks } from '../src-main/core/data/csv-write';
import type { Table } from '../src-main/core/data/table';

export async function writeCsv(path: string, t: Table): Promise<void> {
  const out = createWriteStream(path);
  for (const chunk of csvChunks(t)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

export interface TimedRun {
  seconds: number;
  /** User + system CPU of the child (all its threads), from the OS. */
  cpuSeconds: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

const timeBin = '/usr/bin/time';
const useTime = spawnSync(timeBin, ['-f', '%U %S', 'true']).status === 0;

/** Runs a command to completion and times its wall clock; CPU comes from /usr/bin/time when present. */
export function timeRun(cmd: string, args: string[]): TimedRun {
  const t0 = performance.now();
  const r = useTime
    ? spawnSync(timeBin, ['-f', 'CPU %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  let stderr = r.stderr;
  let cpuSeconds = NaN;
  const m = /CPU (\S+) (\S+)\s*$/.exec(stderr);
  if (useTime && m) {
    cpuSeconds = Number(m[1]) + Number(m[2]);
    stderr = stderr.slice(0, m.index);
  }
  return { seconds, cpuSeconds, stdout: r.stdout, stderr, status: r.status };
}

/** The built CLI: benchmarks time what users run (`npm run build` first). */
export const builtCli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));

/** `greenlens …args` through the built CLI (or another build's `cli`), timed; a failure throws naming the command and its stderr. */
export function greenlens(args: string[], cli = builtCli): TimedRun {
  if (!existsSync(cli)) throw new Error(`${cli} is not built: npm run build`);
  const r = timeRun(process.execPath, [cli, ...args]);
  if (r.status !== 0) throw new Error(`greenlens ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}
