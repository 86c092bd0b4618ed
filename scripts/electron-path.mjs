// Finds the Electron binary without triggering electron's own lazy download
// (requiring 'electron' downloads it, which fails or hangs where the network is closed).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const electronDir = fileURLToPath(new URL('../node_modules/electron/', import.meta.url));

/** @returns {{ path: string | null, reason: string }} */
export function findElectron() {
  if (!existsSync(electronDir)) return { path: null, reason: 'the electron package is not installed (run npm install)' };
  const pathFile = join(electronDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist');
  const candidate = name ? join(dist, name) : process.env.ELECTRON_OVERRIDE_DIST_PATH ? join(dist, 'electron') : null;
  if (candidate && existsSync(candidate)) return { path: candidate, reason: '' };
  return { path: null, reason: 'the Electron binary was not downloaded (node_modules/electron/dist is missing)' };
}

export const electronInstallScript = join(electronDir, 'install.js');
