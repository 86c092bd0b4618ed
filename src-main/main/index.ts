import { startMain } from './app-main';
import { createElectronSettings } from './settings';

// The desktop app's entry: everything is wired in startMain (app-main.ts).
startMain({ settings: createElectronSettings(), entryUrl: import.meta.url, argv: process.argv, env: process.env });
