import { resolve } from 'node:path';
import { GreenLensError, type GreenLensEvent } from '../../contract';
import type { AutomationStatus } from '../../contract/shared/loop';
import { createJobContext } from '../job';
import type { BackendState } from '../state';
import { readRegistryPolicy } from './policy';
import { watchOnce } from './watch';
import { startWatcher, type Watcher, type WatchTarget } from './watcher';

/**
 * Watching inside the app (ARCHITECTURE §4a): while a registry is open in the
 * worker and its policy.json names folders or schedules, the worker runs them
 * with the code `greenlens watch` runs (watcher.ts, watchOnce), starting with
 * one pass that catches up on what arrived while the app was closed. It
 * follows the registry (a switch stops the old watcher, cancelling its pass),
 * the policy (saved here or edited by hand) and the pause setting. Files are
 * claimed in watch/state.json under the registry lock, so a headless watch
 * on the same registry never processes the same file.
 */

export interface AppAutomationOptions {
  emit(event: GreenLensEvent): void;
  /** Minimum ms between progress reports of one phase. */
  throttleMs?: number;
  /** How often folders are polled besides fs.watch, and policy.json re-read (tests shorten them). */
  pollMs?: number;
  policyCheckMs?: number;
  settleMs?: number;
}

const POLL_MS = 30_000;
const POLICY_CHECK_MS = 5_000;
const SETTLE_MS = 1_000;

interface Running {
  status: NonNullable<AutomationStatus['running']>;
  controller: AbortController;
}

export class AppAutomation {
  private watcher: Watcher | null = null;
  private key = '';
  private dir: string | null = null;
  private folders: string[] = [];
  private schedules = 0;
  private running: Running | null = null;
  private lastPass: AutomationStatus['lastPass'] = null;
  private message: string | null = null;
  private totals = { processed: 0, failed: 0 };
  private syncing: Promise<void> = Promise.resolve();
  private seq = 0;
  private closed = false;
  private readonly policyTimer: NodeJS.Timeout;

  constructor(
    private readonly state: BackendState,
    private readonly o: AppAutomationOptions,
  ) {
    // policy.json edited by hand or by the CLI: picked up within a few seconds.
    this.policyTimer = setInterval(() => void this.sync(), o.policyCheckMs ?? POLICY_CHECK_MS);
    this.policyTimer.unref();
  }

  /** Brings the watcher in line with the open registry, its policy and the pause setting. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.reconcile()).catch((error: unknown) => this.fail(null, error));
    return this.syncing;
  }

  status(): AutomationStatus {
    const paused = this.state.settings.automationPaused;
    return {
      registry: this.dir,
      state: paused ? 'paused' : this.watcher ? 'watching' : 'idle',
      folders: this.folders,
      schedules: this.schedules,
      running: this.running ? { ...this.running.status } : null,
      lastPass: this.lastPass,
      totals: { ...this.totals },
      message: this.message,
    };
  }

  /** Cancels the pass in progress; the watcher goes on (its file is resumed by the next pass). */
  cancel(): boolean {
    if (!this.running || this.running.controller.signal.aborted) return false;
    this.running.status.cancelling = true;
    this.running.controller.abort();
    this.changed();
    return true;
  }

  /** Stops watching for good (the worker is shutting down): the pass in progress is cancelled and awaited. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.policyTimer);
    await this.syncing;
    await this.stopWatcher();
  }

  private async reconcile(): Promise<void> {
    if (this.closed) return;
    const dir = this.state.registryPath ? resolve(this.state.registryPath) : null;
    const paused = this.state.settings.automationPaused;
    let targets: WatchTarget[] = [];
    let schedules: { cron: string }[] = [];
    let message: string | null = null;
    if (dir && !paused) {
      try {
        const { policy } = await readRegistryPolicy(dir);
        targets = policy.folders.map((f) => ({ path: resolve(f.path), model: f.model }));
        schedules = policy.schedule;
      } catch (error) {
        message = `Not watching: ${(error as Error).message}`;
      }
    }
    const key = JSON.stringify({ dir, paused, targets, schedules, message });
    if (key === this.key) return;
    await this.stopWatcher();
    this.key = key;
    if (this.dir !== dir) {
      this.lastPass = null;
      this.totals = { processed: 0, failed: 0 };
    }
    this.dir = dir;
    this.folders = targets.map((t) => t.path);
    this.schedules = schedules.length;
    this.message = message;
    if (dir && !paused && targets.length > 0) {
      this.watcher = startWatcher({
        targets,
        schedules,
        settleMs: this.o.settleMs ?? SETTLE_MS,
        pollMs: this.o.pollMs ?? POLL_MS,
        pass: (t) => this.pass(dir, t),
        onError: (t, error) => this.fail(t, error),
      });
    }
    this.changed();
  }

  private async stopWatcher(): Promise<void> {
    const w = this.watcher;
    if (!w) return;
    this.watcher = null;
    this.running?.controller.abort();
    await w.stop();
  }

  private async pass(dir: string, target: WatchTarget): Promise<void> {
    // A switch may land between queueing and running: this pass belongs to the old registry.
    if (!this.state.registryPath || resolve(this.state.registryPath) !== dir) return;
    const controller = new AbortController();
    const jobId = `automation-${++this.seq}`;
    const running: Running = {
      controller,
      status: { jobId, folder: target.path, phase: 'starting', done: 0, total: 0, startedAt: new Date().toISOString(), cancelling: false },
    };
    this.running = running;
    this.changed();
    const ctx = createJobContext({
      jobId,
      op: 'watch.run',
      signal: controller.signal,
      throttleMs: this.o.throttleMs,
      onProgress: (phase, done, total) => {
        Object.assign(running.status, { phase, done, total });
        this.changed();
      },
      onEvent: (event) => this.o.emit(event),
    });
    let cancelled = false;
    try {
      const r = await watchOnce(
        { folder: target.path, settleMs: this.o.settleMs ?? SETTLE_MS, ...(target.model ? { model: target.model } : {}) },
        ctx,
        this.state,
      );
      this.lastPass = {
        folder: target.path,
        endedAt: new Date().toISOString(),
        processed: r.processed.length,
        failed: r.failed.length,
        pending: r.pending.length,
        cancelled: false,
      };
      this.totals.processed += r.processed.length;
      this.totals.failed += r.failed.length;
      this.message = null;
    } catch (error) {
      if (!(error instanceof GreenLensError && error.code === 'cancelled')) throw error;
      cancelled = true;
      this.lastPass = { folder: target.path, endedAt: new Date().toISOString(), processed: 0, failed: 0, pending: 0, cancelled };
    } finally {
      this.running = null;
      this.changed();
      this.o.emit({ type: 'changed', topic: 'jobs' });
    }
  }

  private fail(target: WatchTarget | null, error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.message = target ? `${target.path}: ${text}` : text;
    this.state.logger.warn(`In-app watch: ${this.message}`);
    this.changed();
  }

  private changed(): void {
    this.o.emit({ type: 'automation', status: this.status() });
  }
}

/** The worker's watcher, for the automation.* handlers (none in the CLI). */
const instances = new WeakMap<BackendState, AppAutomation>();

export function attachAutomation(state: BackendState, automation: AppAutomation): void {
  instances.set(state, automation);
}

export function automationOf(state: BackendState): AppAutomation | null {
  return instances.get(state) ?? null;
}

/** What automation.status answers where nothing watches in process (the CLI). */
export function noAutomation(): AutomationStatus {
  return {
    registry: null,
    state: 'idle',
    folders: [],
    schedules: 0,
    running: null,
    lastPass: null,
    totals: { processed: 0, failed: 0 },
    message: null,
  };
}
