import { GreenLensError, type GreenLensEvent } from '../contract';

/** What a handler gets besides its input: progress, cancellation, events. */
export interface JobContext {
  readonly jobId: string;
  readonly op: string;
  readonly signal: AbortSignal;
  /** Reports progress (throttled) and throws if the job was cancelled. */
  progress(phase: string, done: number, total: number): void;
  throwIfCancelled(): void;
  emit(event: GreenLensEvent): void;
}

export interface JobContextOptions {
  jobId: string;
  op: string;
  signal?: AbortSignal;
  /** Synchronous cancel check (a shared-memory flag) for long synchronous loops. */
  isCancelled?: () => boolean;
  onProgress?: (phase: string, done: number, total: number) => void;
  onEvent?: (event: GreenLensEvent) => void;
  /** Minimum milliseconds between progress reports of the same phase. */
  throttleMs?: number;
}

export function createJobContext(o: JobContextOptions): JobContext {
  const signal = o.signal ?? new AbortController().signal;
  const throttle = o.throttleMs ?? 50;
  let lastPhase = '';
  let lastAt = 0;
  const throwIfCancelled = (): void => {
    if (signal.aborted || o.isCancelled?.()) throw new GreenLensError('cancelled', `${o.op} was cancelled.`);
  };
  return {
    jobId: o.jobId,
    op: o.op,
    signal,
    throwIfCancelled,
    progress(phase, done, total) {
      throwIfCancelled();
      if (!o.onProgress) return;
      const now = Date.now();
      // Phase changes and completion always go out; in between, at most one per throttle window.
      if (phase !== lastPhase || done >= total || now - lastAt >= throttle) {
        lastPhase = phase;
        lastAt = now;
        o.onProgress(phase, done, total);
      }
    },
    emit(event) {
      o.onEvent?.(event);
    },
  };
}

/**
 * Reports `phase` complete after work that cannot be undone (a version written):
 * a cancel arriving now changes nothing, so it is not thrown, and the phase still
 * ends at 100 %.
 */
export function progressCommitted(ctx: JobContext, phase: string, total: number): void {
  try {
    ctx.progress(phase, total, total);
  } catch (error) {
    if (!(error instanceof GreenLensError && error.code === 'cancelled')) throw error;
  }
}
