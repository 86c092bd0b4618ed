import { GreenLensError } from '../contract';

export interface CliIo {
  json: boolean;
  /** Human output (stdout unless --json, where stdout carries one JSON object only). */
  say(text: string): void;
  /** The one JSON object of a --json run. */
  result(value: unknown): void;
  /** A remark about how input was read, on stderr (silent with --json, where the result carries it). */
  note(text: string): void;
  /** A progress line on stderr, only where a person is watching. */
  progress(phase: string, done: number, total: number): void;
}

export function createIo(json: boolean): CliIo {
  const tty = process.stderr.isTTY === true;
  let lastPct = -1;
  return {
    json,
    say: (text) => {
      if (!json) process.stdout.write(text + '\n');
    },
    result: (value) => {
      if (json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
    },
    note: (text) => {
      if (!json) process.stderr.write(text + '\n');
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

export function describeFailure(error: unknown): string {
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
