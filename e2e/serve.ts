import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Served {
  url: string;
  registry: string;
  dataDir: string;
  /** ms from spawning `greenlens serve` to the URL being printed. */
  startupMs: number;
  stop(): Promise<void>;
}

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));

/** Starts the built `greenlens serve` on a temp registry and settings folder. */
export async function serve(
  opts: { registry?: string; allow?: string[]; settings?: Record<string, unknown> } = {},
): Promise<Served & { spawnedAt: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gl-e2e-'));
  if (opts.settings) {
    // Stored settings the server starts with (as a previous session would have saved them).
    mkdirSync(join(dataDir, 'config'));
    writeFileSync(join(dataDir, 'config', 'settings.json'), JSON.stringify(opts.settings));
  }
  const registry = opts.registry ?? join(dataDir, 'registry');
  const spawnedAt = Date.now();
  // The browser may reach the whole temp folder and the folders a spec prepared (web mode confines paths).
  const allow = [dataDir, ...(opts.allow ?? [])].flatMap((d) => ['--allow', d]);
  const child: ChildProcess = spawn(process.execPath, [cli, 'serve', '--registry', registry, ...allow, '--json'], {
    env: { ...process.env, GREENLENS_CONFIG_DIR: join(dataDir, 'config'), GREENLENS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`greenlens serve printed no URL in 15 s. stderr: ${err}`)), 15_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      try {
        const parsed = JSON.parse(out) as { url: string };
        clearTimeout(timer);
        resolve(parsed.url);
      } catch {
        // the JSON object is not complete yet
      }
    });
    child.on('exit', (code) => reject(new Error(`greenlens serve exited with ${code}: ${err}`)));
  });
  return {
    url,
    registry,
    dataDir,
    spawnedAt,
    startupMs: Date.now() - spawnedAt,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
