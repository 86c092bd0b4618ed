/**
 * Structured errors: the only error shape that crosses a transport (IPC, worker,
 * HTTP, CLI). A stack trace never reaches the user; the message says what to do.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'unknown_op'
  | 'cancelled'
  | 'worker_crashed'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'corrupt'
  | 'unsupported'
  | 'io'
  | 'unauthorized'
  | 'internal';

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** Input field (dotted path) the error is about, when there is one. */
  field?: string;
  /** File the error is about, when there is one. */
  file?: string;
  line?: number;
  column?: string;
  /** A short suggestion of what to do next. */
  hint?: string;
}

export class GreenLensError extends Error {
  readonly code: ErrorCode;
  readonly info: ErrorInfo;

  constructor(code: ErrorCode, message: string, extra: Omit<ErrorInfo, 'code' | 'message'> = {}) {
    super(message);
    this.name = 'GreenLensError';
    this.code = code;
    this.info = { code, message, ...extra };
  }

  static from(info: ErrorInfo): GreenLensError {
    const { code, message, ...extra } = info;
    return new GreenLensError(code, message, extra);
  }
}

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'invalid_input',
  'unknown_op',
  'cancelled',
  'worker_crashed',
  'not_found',
  'conflict',
  'locked',
  'corrupt',
  'unsupported',
  'io',
  'unauthorized',
  'internal',
]);

export function isErrorInfo(value: unknown): value is ErrorInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && CODES.has(v.code) && typeof v.message === 'string';
}

/** Turns anything thrown into an ErrorInfo with a human message (never a stack). */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof GreenLensError) return error.info;
  if (isErrorInfo(error)) return error;
  if (error instanceof Error) {
    const errno = error as Error & { code?: string; path?: string };
    if (errno.code === 'ENOENT') {
      return { code: 'not_found', message: `File or folder not found: ${errno.path ?? error.message}`, file: errno.path };
    }
    if (errno.code === 'EACCES' || errno.code === 'EPERM') {
      return { code: 'io', message: `Permission denied: ${errno.path ?? error.message}`, file: errno.path };
    }
    if (errno.code === 'ENOSPC') {
      return { code: 'io', message: 'The disk is full; free some space and try again.', file: errno.path };
    }
    return { code: 'internal', message: error.message || 'Unexpected error' };
  }
  return { code: 'internal', message: String(error) };
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
