import { GreenLensError } from '../contract';
import { silentLogger, type Logger } from '../contract/shared/log';
import { escapeC1InJson, escapeControls } from './escape';

export interface CliIo {
  json: boolean;
  /** Human output (stdout unless --json, where stdout carries one JSON object only). */
  say(text: string): void;
  /** The one JSON object of a --json run. */
  result(value: unknown): void;
  /** A warning on stderr (also under --json: stdout carries only the result). */
  warn(text: string): void;
  /** A remark about how input was read, on stderr (silent with --json, where the result carries it). */
  note(text: string): void;
  /** A progress line on stderr, only where a person is watching. */
  progress(phase: string, done: number, total: number): void;
  /** Fallbacks and skips: the log file, and stderr with --verbose. */
  logger: Logger;
}

export function createIo(json: boolean, logger: Logger = silentLogger): CliIo {
  const tty = process.stderr.isTTY === true;
  let last = '';
  let open = false;
  return {
    json,
    logger,
    say: (text) => {
      if (!json) process.stdout.write(escapeControls(text) + '\n');
    },
    warn: (text) => {
      process.stderr.write(`Warning: ${text}\n`);
    },
    result: (value) => {
      if (json) process.stdout.write(escapeC1InJson(JSON.stringify(value, null, 2)) + '\n');
    },
    note: (text) => {
      if (!json) process.stderr.write(text + '\n');
    },
    progress: (phase, done, total) => {
      if (!tty || total <= 0) return;
      const pct = Math.min(100, Math.floor((100 * done) / total));
      // One line per phase, rewritten in place; a new phase starts a new line.
      const key = `${phase}\u0000${pct}`;
      if (key === last) return;
      const newPhase = !last.startsWith(`${phase}\u0000`);
      last = key;
      process.stderr.write(`${newPhase && open ? '\n' : '\r'}${phase}: ${pct}%\u001b[K${pct >= 100 ? '\n' : ''}`);
      open = pct < 100;
    },
  };
}

/** Exit codes of ARCHITECTURE §7; 4: `health` found a model critical. */
export const EXIT = { ok: 0, failure: 1, usage: 2, drift: 3, critical: 4 } as const;

/** The text of an error for stderr, with any control characters from user text made visible. */
export function describeFailure(error: unknown): string {
  return escapeControls(failureText(error));
}

function failureText(error: unknown): string {
  if (error instanceof GreenLensError) {
    const where = [
      error.info.file,
      error.info.line !== undefined ? `line ${error.info.line}` : undefined,
      error.info.column ? `column ${error.info.column}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    return `${error.message}${where && !error.message.includes(error.info.file ?? '\u0000') ? ` (${where})` : ''}${error.info.hint ? `\n${error.info.hint}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}
