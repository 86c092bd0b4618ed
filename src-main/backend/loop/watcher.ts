import { watch as watchFolder, type FSWatcher } from 'node:fs';

/**
 * The continuous side of `watch` (ARCHITECTURE §4a), shared by the CLI
 * (`greenlens watch` without --once) and the app's worker: a pass over every
 * folder now (catching up on what arrived while nothing watched), then on
 * every change in a folder (after `settleMs`), every `pollMs` (network folders
 * do not always report changes) and at each cron schedule. Passes run one
 * after another, never two at once; a folder already queued is not queued
 * twice. `stop` closes the watches and waits for the pass in progress.
 */

export interface WatchTarget {
  path: string;
  model?: string | undefined;
}

export interface WatcherOptions {
  targets: WatchTarget[];
  schedules: { cron: string }[];
  settleMs: number;
  pollMs: number;
  pass(target: WatchTarget): Promise<void>;
  /** A pass that threw, or a folder that cannot be watched (it is still polled). */
  onError(target: WatchTarget | null, error: unknown): void;
}

export interface Watcher {
  /** Queues a pass over every folder. */
  trigger(): void;
  /** Resolves when every queued pass has ended. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function startWatcher(o: WatcherOptions): Watcher {
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  const queued = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const queue = (t: WatchTarget): void => {
    if (stopped || queued.has(t.path)) return;
    queued.add(t.path);
    chain = chain.then(async () => {
      queued.delete(t.path);
      if (stopped) return;
      try {
        await o.pass(t);
      } catch (error) {
        o.onError(t, error);
      }
    });
  };
  const all = (): void => o.targets.forEach(queue);
  all();
  const watchers: FSWatcher[] = [];
  for (const t of o.targets) {
    try {
      const w = watchFolder(t.path, () => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          queue(t);
        }, o.settleMs);
        timers.add(timer);
      });
      w.on('error', (error) => o.onError(t, error));
      watchers.push(w);
    } catch (error) {
      o.onError(t, error);
    }
  }
  const poll = setInterval(all, o.pollMs);
  const crons: { stop(): void }[] = [];
  // croner is loaded only when there are schedules (every CLI command loads this module; few watch).
  const scheduling = o.schedules.length === 0 ? Promise.resolve() : startSchedules(o, all, crons);
  return {
    trigger: all,
    idle: () => chain,
    stop: async () => {
      stopped = true;
      for (const w of watchers) w.close();
      for (const timer of timers) clearTimeout(timer);
      clearInterval(poll);
      await scheduling;
      for (const c of crons) c.stop();
      await chain;
    },
  };
}

/** Starts a cron job per schedule (into `crons`; stop() waits for this, then stops them); a bad expression is reported, not thrown. */
async function startSchedules(o: WatcherOptions, run: () => void, crons: { stop(): void }[]): Promise<void> {
  const { Cron } = await import('croner');
  for (const s of o.schedules) {
    try {
      crons.push(new Cron(s.cron, { timezone: 'UTC' }, run));
    } catch (error) {
      o.onError(null, new Error(`schedule "${s.cron}" is not a valid cron expression: ${(error as Error).message}`));
    }
  }
}
