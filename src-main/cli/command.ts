import type { CliIo } from './io';

export interface CliEnv {
  /** import.meta.url of the CLI entry (locates the worker and the renderer). */
  entryUrl: string;
  version: string;
}

/** One `greenlens <name>` command. Only commands that work are registered. */
export interface Command {
  help: string;
  run(argv: string[], io: CliIo, env: CliEnv): Promise<number>;
}
