import { Worker } from 'node:worker_threads';
import { GreenLensError, type GreenLensEvent, type OpInput, type OpOutput, type WorkerOpName } from '../../contract';
import type { Settings } from '../../contract/settings';
import { CANCEL_SLOTS, type FromWorker, type ToWorker, type WorkerInit } from '../protocol';

export interface CallOptions {
  /** Caller-chosen id, used as the jobId of progress events and for cancel. */
  requestId?: string;
  onProgress?: (phase: string, done: number, total: number) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: GreenLensError) => void;
  requestId: string;
  slot: number;
  onProgress?: CallOptions['onProgress'];
}

export interface WorkerHostOptions {
  /** The built worker script (out/main/worker.js) or a source entry with a loader in execArgv. */
  script: URL | string;
  execArgv?: string[];
  settings: Settings;
  registryPath: string | null;
  tempDir: string;
  /** Script of the extra scoring threads the backend may start for large inputs. */
  scoreWorkerScript?: string;
  /** Folder of the backend's rotating log file. */
  logDir?: string;
  /** Minimum ms between progress reports of one phase (default 50). */
  progressThrottleMs?: number;
}

/**
 * Owns the backend worker: numbers requests, turns replies into promises,
 * forwards progress and events, cancels, and restarts the worker when it dies
 * (its pending calls fail with a clear error; the next call gets a new worker).
 */
export class WorkerHost {
  private worker: Worker | null = null;
  private nextId = 1;
  private nextSlot = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly byRequest = new Map<string, number>();
  private readonly listeners = new Set<(event: GreenLensEvent) => void>();
  private readonly cancelFlags = new SharedArrayBuffer(CANCEL_SLOTS * 4);
  private readonly flags = new Int32Array(this.cancelFlags);
  private settings: Settings;
  private registryPath: string | null;
  private closed = false;
  /** How many times the worker was (re)started: visible to tests and diagnostics. */
  spawnCount = 0;

  constructor(private readonly opts: WorkerHostOptions) {
    this.settings = opts.settings;
    this.registryPath = opts.registryPath;
  }

  get openRegistry(): string | null {
    return this.registryPath;
  }

  on(listener: (event: GreenLensEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  call<K extends WorkerOpName>(op: K, input: OpInput<K>, options?: CallOptions): Promise<OpOutput<K>>;
  call(op: string, input: unknown, options?: CallOptions): Promise<unknown>;
  call(op: string, input: unknown, options: CallOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(new GreenLensError('internal', 'The backend has shut down.'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const requestId = options.requestId ?? `req-${id}`;
    const slot = this.nextSlot;
    this.nextSlot = (this.nextSlot + 1) % CANCEL_SLOTS;
    Atomics.store(this.flags, slot, 0);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, requestId, slot, onProgress: options.onProgress });
      this.byRequest.set(requestId, id);
      const msg: ToWorker = { type: 'call', id, jobId: requestId, op, input, cancelSlot: slot };
      try {
        worker.postMessage(msg);
      } catch (error) {
        this.settle(id);
        reject(new GreenLensError('invalid_input', `Input for ${op} cannot be sent to the backend: ${(error as Error).message}`));
      }
    });
  }

  /** Cancels a running call; its promise rejects with a `cancelled` error. */
  cancel(requestId: string): boolean {
    const id = this.byRequest.get(requestId);
    const p = id === undefined ? undefined : this.pending.get(id);
    if (id === undefined || !p) return false;
    Atomics.store(this.flags, p.slot, 1);
    this.worker?.postMessage({ type: 'cancel', id } satisfies ToWorker);
    return true;
  }

  setSettings(settings: Settings): void {
    this.settings = settings;
    this.worker?.postMessage({ type: 'settings', settings } satisfies ToWorker);
  }

  /** Stops the worker abruptly (tests use it to simulate a crash). */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  private readonly closeHooks: (() => void)[] = [];

  /** Runs `hook` when the host is closed (host-side helpers stop with it). */
  onClose(hook: () => void): void {
    this.closeHooks.push(hook);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const hook of this.closeHooks.splice(0)) hook();
    const w = this.worker;
    this.worker = null;
    if (w) await stopGracefully(w);
    await w?.terminate();
    this.failAll(new GreenLensError('internal', 'The backend has shut down.'));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const init: WorkerInit = {
      settings: this.settings,
      registryPath: this.registryPath,
      tempDir: this.opts.tempDir,
      scoreWorkerScript: this.opts.scoreWorkerScript ?? null,
      cancelFlags: this.cancelFlags,
      ...(this.opts.logDir ? { logDir: this.opts.logDir } : {}),
      ...(this.opts.progressThrottleMs !== undefined ? { progressThrottleMs: this.opts.progressThrottleMs } : {}),
    };
    const worker = new Worker(this.opts.script, { workerData: init, execArgv: this.opts.execArgv });
    this.spawnCount++;
    worker.on('message', (msg: FromWorker) => this.onMessage(msg));
    worker.on('error', (error) => this.onExit(worker, `the backend worker crashed: ${error.message}`));
    worker.on('exit', (code) => this.onExit(worker, `the backend worker stopped (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  private onExit(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.closed) return;
    this.failAll(
      new GreenLensError('worker_crashed', `The job was interrupted because ${reason}. Nothing saved before it was lost; try again.`),
    );
  }

  private failAll(error: GreenLensError): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(error);
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    this.byRequest.delete(p.requestId);
    return p;
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'ready':
      case 'stopped':
        return;
      case 'progress': {
        const p = this.pending.get(msg.id);
        p?.onProgress?.(msg.phase, msg.done, msg.total);
        this.emit({ type: 'progress', jobId: msg.jobId, op: msg.op, phase: msg.phase, done: msg.done, total: msg.total });
        return;
      }
      case 'result': {
        const p = this.settle(msg.id);
        if (!p) return;
        if (msg.envelope.ok) p.resolve(msg.envelope.value);
        else p.reject(GreenLensError.from(msg.envelope.error));
        return;
      }
      case 'event':
        if (msg.event.type === 'registry') this.registryPath = msg.event.path;
        this.emit(msg.event);
        return;
    }
  }

  private emit(event: GreenLensEvent): void {
    for (const l of this.listeners) l(event);
  }
}

/** How long a closing host waits for the worker to end its background work before terminating it. */
const SHUTDOWN_WAIT_MS = 3000;

/** Lets the in-app watcher cancel its pass and release its file (a worker stuck in a synchronous loop is terminated anyway). */
function stopGracefully(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', done);
      resolve();
    };
    const onMessage = (msg: FromWorker): void => {
      if (msg.type === 'stopped') done();
    };
    const timer = setTimeout(done, SHUTDOWN_WAIT_MS);
    worker.on('message', onMessage);
    worker.on('exit', done);
    try {
      worker.postMessage({ type: 'shutdown' } satisfies ToWorker);
    } catch {
      done();
    }
  });
}
