import { startScoreThreadEarly } from './early-threads';

// The CLI entry. A large file's scoring thread starts first (early-threads.ts); every command and the backend load after.
const argv = process.argv.slice(2);
startScoreThreadEarly(import.meta.url, argv);
const { runCli } = await import('./run');
runCli(argv, import.meta.url);
