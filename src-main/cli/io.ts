import { GreenLensError } from '../contract';
import { escapeC1InJson, escapeControls } from './escape';

export interface CliIo {
  json: boolean;
  /** Human output (stdout unless --json, where stdout carries one JSON object only). */
  say(text: string): void;
  /** The one JSON object of a --json run. */
  result(value: unknown): void;
  /** A progress line on stderr, only where a person is watching. */
  progress(phase: string, done: number, total: number): void;
}

export function createIo(json: boolean): CliIo {
  const tty = process.stderr.isTTY === true;
  let lastPct = -1;
  return {
    json,
    say: (text) => {
      if (!json) process.stdout.write(escapeControls(text) + '\n');
    },
    result: (value) => {
      if (json) process.stdout.write(escapeC1InJson(JSON.stringify(value, null, 2)) + '\n');
    },
    progress: (phase, done, total) => {
      if (!tty || total <= 0) return;
      const pct = Math.floor((100 * done) / total);
      if (pct === lastPct) return;
      lastPct = pct;
      process.stderr.write(`\r${phase}: ${pct}%${pct >= 100 ? '\n' : ''}`);
    },
  };
}

/** Exit codes of DESIGN §7. */
export const EXIT = { ok: 0, failure: 1, usage: 2, drift: 3 } as const;

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
