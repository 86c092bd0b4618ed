/**
 * What core and the backend may say about something that fell back or was
 * skipped. Core never creates a logger: the process edge (CLI, worker) makes
 * one and passes it in, so core stays free of files and streams.
 */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured extras of a line (file, rows, error text...), printed as JSON after the message. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
}

/** The logger of code that was given none. */
export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };

/** True when a line of `level` passes a `threshold` (error is the most severe). */
export function logLevelPasses(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(threshold);
}
