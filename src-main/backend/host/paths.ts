import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The per-user data folder (what Electron calls userData), for web mode and the CLI. */
export function userDataDir(): string {
  if (process.env.GREENLENS_DATA_DIR) return process.env.GREENLENS_DATA_DIR;
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'GreenLens');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'GreenLens');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'greenlens');
}

/**
 * The per-user config folder conf keeps web mode's settings in (env-paths' `config` for "greenlens" with no suffix,
 * which conf uses). Written out here because env-paths imports node:process, whose ES module facade reads every
 * process property, process.allowedNodeEnvironmentFlags included: 5–10 ms of every CLI command's start-up.
 */
export function configDir(name = 'greenlens'): string {
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Preferences', name);
  if (process.platform === 'win32') return join(process.env.APPDATA || join(home, 'AppData', 'Roaming'), name, 'Config');
  return join(process.env.XDG_CONFIG_HOME || join(home, '.config'), name);
}

/** The registry used when none is named, created on first use (ARCHITECTURE §4). */
export function defaultRegistryDir(dataDir = userDataDir()): string {
  return join(dataDir, 'registry');
}

export function defaultTempDir(): string {
  return join(tmpdir(), 'greenlens');
}

/**
 * Where the worker script is, seen from an entry module. Built entries sit
 * beside out/main/worker.js; source entries (tests, tsx) load worker.ts
 * through worker-dev.mjs.
 */
export function resolveWorkerScript(entryUrl: string): { script: string; scoreScript: string; execArgv?: string[] } {
  if (entryUrl.endsWith('.ts')) {
    return {
      script: fileURLToPath(new URL('../backend/worker-dev.mjs', entryUrl)),
      scoreScript: fileURLToPath(new URL('../backend/score-worker-dev.mjs', entryUrl)),
    };
  }
  return { script: fileURLToPath(new URL('./worker.js', entryUrl)), scoreScript: fileURLToPath(new URL('./score-worker.js', entryUrl)) };
}

/** The built renderer (out/renderer), seen from an entry module. */
export function resolveRendererDir(entryUrl: string): string {
  return fileURLToPath(new URL(entryUrl.endsWith('.ts') ? '../../out/renderer/' : '../renderer/', entryUrl));
}
