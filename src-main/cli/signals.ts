/**
 * Dependencies hook SIGINT and SIGTERM at import (conf → atomically → when-exit,
 * to delete its temp files). A JavaScript handler runs only when the main thread is
 * free, so Ctrl+C or a `kill` waited for a whole training or scoring to finish.
 * Every registry and output write is atomic (temp file + rename; leftovers are swept
 * by the next write), so the default action, ending the process at once, is safe:
 * remove those handlers. Commands that want a graceful stop (serve) add their own.
 */
export function honourSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
}
