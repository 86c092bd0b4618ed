// `npm start`: the desktop app where Electron's binary exists (or can be
// fetched), otherwise web mode in the browser. Never waits silently.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { electronInstallScript, findElectron } from './electron-path.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
let electron = findElectron();
if (!electron.path && existsSync(electronInstallScript) && !process.env.GREENLENS_NO_ELECTRON_DOWNLOAD) {
  console.log('Electron binary missing: trying to download it (at most 90 s)…');
  const r = spawnSync(process.execPath, [electronInstallScript], { encoding: 'utf8', timeout: 90_000, cwd: root });
  electron = findElectron();
  if (!electron.path) {
    // The installer prints a stack trace on failure; one line says enough.
    const why = `${r.stderr ?? ''}\n${r.stdout ?? ''}`
      .split('\n')
      .find((l) => /error|failed|timed out/i.test(l))
      ?.trim();
    electron.reason = `download failed${why ? `: ${why}` : r.error ? `: ${r.error.message}` : ''}`;
  }
}

if (electron.path && !process.env.GREENLENS_WEB) {
  const child = spawn(electron.path, [root, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    electron.path
      ? 'GREENLENS_WEB is set: starting web mode.'
      : `Electron is not available here (${electron.reason}); starting web mode instead — open the URL below in your browser.`,
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
