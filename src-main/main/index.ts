import { app } from 'electron';
import { createFileLogger, logDir } from '../backend/host/file-logger';
import { startMain } from './app-main';
import { createElectronSettings } from './settings';

// The desktop app's entry: everything is wired in startMain (app-main.ts).
const dir = logDir(app.getPath('userData'));
startMain({
  settings: createElectronSettings(createFileLogger({ dir })),
  entryUrl: import.meta.url,
  argv: process.argv,
  env: process.env,
  logDir: dir,
});
