// `npm start`: the desktop app where Electron's binary exists (or can be
// fetched), otherwise web mode in the browser. Never waits silently, and a
// download that failed is not retried until `npm install` or Node changes
// (electron-download-memo.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clearMarker, currentFingerprint, readMarker, startDecision, writeMarker } from './electron-download-memo.mjs';
import { electronInstallScript, findElectron } from './electron-path.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
let electron = findElectron();
const fingerprint = currentFingerprint();
const decision = startDecision({
  binary: electron.path !== null,
  installScript: existsSync(electronInstallScript),
  forceWeb: Boolean(process.env.GREENLENS_WEB),
  noDownload: Boolean(process.env.GREENLENS_NO_ELECTRON_DOWNLOAD),
  marker: readMarker(),
  fingerprint,
});
if (decision.clearMarker) clearMarker();
let why = decision.why || electron.reason;

if (decision.action === 'download') {
  console.log('Electron binary missing: trying to download it once (at most 90 s)…');
  const r = spawnSync(process.execPath, [electronInstallScript], { encoding: 'utf8', timeout: 90_000, cwd: root });
  electron = findElectron();
  if (!electron.path) {
    // The installer prints a stack trace on failure; one line says enough.
    const line = `${r.stderr ?? ''}\n${r.stdout ?? ''}`
      .split('\n')
      .find((l) => /error|failed|timed out/i.test(l))
      ?.trim();
    why = `download failed${line ? `: ${line}` : r.error ? `: ${r.error.message}` : ''}`;
    writeMarker(fingerprint, why);
  }
}

if (electron.path && decision.action !== 'web') {
  const child = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    electron.path
      ? `${why}: starting web mode.`
      : `Electron is not available here (${why}); starting web mode instead — open the URL below in your browser.`,
  );
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('../out/main/cli.js', import.meta.url)), 'serve', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
