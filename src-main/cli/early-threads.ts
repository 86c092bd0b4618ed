import { statSync } from 'node:fs';
import { resolveWorkerScript } from '../backend/host/paths';
import { prestartForFile } from '../backend/model/score-threads';

/**
 * `greenlens score` of a large file: its scoring thread starts before the
 * rest of the CLI is loaded, so the thread's start-up (a Node isolate and its
 * modules) overlaps the loading of this thread's modules rather than the
 * reading of the file; the sooner it runs, the more rows it scores while the
 * file is read (backend/model/score-ahead.ts). Only a cheap look at the
 * arguments: the command validates them itself, and its own prestart finds
 * the thread in the pool. Importing little is the point: this module must
 * stay free of the backend's handlers and the contract's schemas.
 */
export function startScoreThreadEarly(entryUrl: string, argv: readonly string[]): void {
  if (argv[0] !== 'score') return;
  const data = dataFlag(argv);
  const bytes = data === null ? undefined : statSync(data, { throwIfNoEntry: false })?.size;
  if (bytes !== undefined) prestartForFile(resolveWorkerScript(entryUrl).scoreScript, bytes);
}

/** The value of --data (`--data F` or `--data=F`, before any `--`), as parseArgs reads it; null when absent. */
export function dataFlag(argv: readonly string[]): string | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return null;
    if (a === '--data') return argv[i + 1] ?? null;
    if (a.startsWith('--data=')) return a.slice('--data='.length);
  }
  return null;
}
