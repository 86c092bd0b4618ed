import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { logLevelPasses, type LogFields, type Logger, type LogLevel } from '../../core/log';

// Transports (the CLI) take the logger's type from here: they do not reach into core.
export { silentLogger, type Logger } from '../../core/log';

export interface FileLoggerOptions {
  /** Folder of the log files (created on the first line); null logs to no file. */
  dir: string | null;
  /** Lines at or above this level go to the file. Default info. */
  fileLevel?: LogLevel;
  /** Lines at or above this level also go to stderr (the CLI's --verbose: debug). Default: none. */
  stderrLevel?: LogLevel | null;
  /** The file is rotated before it would grow past this many bytes. Default 1 MiB. */
  maxBytes?: number;
  /** Files kept in all: greenlens.log plus greenlens.1.log … greenlens.(N-1).log. Default 3. */
  maxFiles?: number;
  /** Where a stderr line goes (tests). */
  writeStderr?: (line: string) => void;
  now?: () => Date;
}

export const LOG_FILE = 'greenlens.log';

/** The log folder inside the user's data folder (paths.ts userDataDir). */
export function logDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

/** greenlens.log, then greenlens.1.log (newest rotated) … greenlens.(N-1).log (oldest). */
function logFile(dir: string, generation: number): string {
  return join(dir, generation === 0 ? LOG_FILE : `greenlens.${generation}.log`);
}

function format(now: Date, level: LogLevel, message: string, fields: LogFields | undefined): string {
  const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
  return `${now.toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${extra}\n`;
}

/**
 * A logger writing whole lines with synchronous appends: lines are rare (a
 * fallback, a skip), and a line written just before the process exits must
 * not be lost. Logging never throws: a log that cannot be written is dropped.
 * Several processes may append to one file; a rotation racing another
 * process's append can misplace that line, which a log can afford.
 */
export function createFileLogger(options: FileLoggerOptions): Logger {
  const fileLevel = options.fileLevel ?? 'info';
  const stderrLevel = options.stderrLevel ?? null;
  const maxBytes = options.maxBytes ?? 1 << 20;
  const maxFiles = Math.max(1, options.maxFiles ?? 3);
  const writeStderr = options.writeStderr ?? ((line: string) => void process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const dir = options.dir;
  let size: number | null = null;

  const rotate = (): void => {
    if (!dir) return;
    rmSync(logFile(dir, maxFiles - 1), { force: true });
    for (let g = maxFiles - 2; g >= 0; g--) {
      try {
        renameSync(logFile(dir, g), logFile(dir, g + 1));
      } catch {
        // A generation that does not exist yet.
      }
    }
    size = 0;
  };

  const toFile = (line: string): void => {
    if (!dir) return;
    try {
      if (size === null) {
        mkdirSync(dir, { recursive: true });
        size = statSync(join(dir, LOG_FILE), { throwIfNoEntry: false })?.size ?? 0;
      }
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxBytes) {
        if (maxFiles > 1) rotate();
        else {
          rmSync(join(dir, LOG_FILE), { force: true });
          size = 0;
        }
      }
      appendFileSync(join(dir, LOG_FILE), line);
      size += bytes;
    } catch {
      size = null; // look again next time (the folder may have been removed)
    }
  };

  const log = (level: LogLevel, message: string, fields?: LogFields): void => {
    const toDisk = logLevelPasses(level, fileLevel);
    const toStderr = stderrLevel !== null && logLevelPasses(level, stderrLevel);
    if (!toDisk && !toStderr) return;
    const line = format(now(), level, message, fields);
    if (toDisk) toFile(line);
    if (toStderr) writeStderr(line);
  };
  return {
    error: (m, f) => log('error', m, f),
    warn: (m, f) => log('warn', m, f),
    info: (m, f) => log('info', m, f),
    debug: (m, f) => log('debug', m, f),
  };
}
