// `npm start` remembers that Electron's download failed, so the next start goes
// straight to web mode instead of waiting up to 90 s again. The memory is keyed
// by what `npm install` or a Node switch changes (the electron package version,
// the installed lock file, the Node version): any of those changing is worth one
// more attempt.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const markerFile = join(root, 'node_modules', '.cache', 'greenlens', 'electron-download-failed.json');

/**
 * What a failed download is remembered against.
 * @param {{ electronVersion: string | null, lockFile: string | null, nodeVersion: string }} o
 * @returns {string}
 */
export function electronFingerprint(o) {
  const lock = o.lockFile === null ? 'no-lock' : createHash('sha256').update(o.lockFile).digest('hex').slice(0, 16);
  return `electron@${o.electronVersion ?? 'none'} lock:${lock} node@${o.nodeVersion}`;
}

/**
 * What `npm start` does, as a pure function of what it found.
 * @param {{ binary: boolean, installScript: boolean, forceWeb: boolean, noDownload: boolean,
 *           marker: { fingerprint: string, reason: string } | null, fingerprint: string }} s
 * @returns {{ action: 'electron' | 'download' | 'web', why: string, clearMarker: boolean }}
 */
export function startDecision(s) {
  const stale = s.marker !== null && s.marker.fingerprint !== s.fingerprint;
  if (s.binary)
    return { action: s.forceWeb ? 'web' : 'electron', why: s.forceWeb ? 'GREENLENS_WEB is set' : '', clearMarker: s.marker !== null };
  if (s.forceWeb) return { action: 'web', why: 'GREENLENS_WEB is set', clearMarker: stale };
  if (!s.installScript) return { action: 'web', why: 'the electron package is not installed (run npm install)', clearMarker: stale };
  if (s.noDownload) return { action: 'web', why: 'GREENLENS_NO_ELECTRON_DOWNLOAD is set', clearMarker: stale };
  if (s.marker !== null && !stale) {
    return {
      action: 'web',
      why: `the Electron download failed before (${s.marker.reason}); not retrying until npm install or the Node version changes`,
      clearMarker: false,
    };
  }
  return { action: 'download', why: '', clearMarker: stale };
}

/** @returns {{ fingerprint: string, reason: string } | null} */
export function readMarker(file = markerFile) {
  if (!existsSync(file)) return null;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8'));
    return typeof m?.fingerprint === 'string' && typeof m?.reason === 'string' ? { fingerprint: m.fingerprint, reason: m.reason } : null;
  } catch {
    return null; // a damaged marker is as good as none: one more attempt
  }
}

/** @param {string} fingerprint @param {string} reason */
export function writeMarker(fingerprint, reason, file = markerFile) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ fingerprint, reason, at: new Date().toISOString() }) + '\n');
}

export function clearMarker(file = markerFile) {
  rmSync(file, { force: true });
}

/** The fingerprint of this checkout as installed now. */
export function currentFingerprint() {
  const read = (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null);
  const pkg = read(join(root, 'node_modules', 'electron', 'package.json'));
  let electronVersion = null;
  try {
    electronVersion = pkg ? String(JSON.parse(pkg).version) : null;
  } catch {
    electronVersion = null;
  }
  // npm rewrites node_modules/.package-lock.json on every install that changes the tree.
  const lockFile = read(join(root, 'node_modules', '.package-lock.json')) ?? read(join(root, 'package-lock.json'));
  return electronFingerprint({ electronVersion, lockFile, nodeVersion: process.versions.node });
}
