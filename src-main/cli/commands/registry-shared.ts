import { defaultRegistryDir } from '../../backend/host/paths';
import { GreenLensError, parseRequest, type OpInput, type OpOutput, type WorkerOpName } from '../../contract';
import { VersionSchema } from '../../contract/ops/registry';
import { parseCommandArgs, UsageError } from '../args';
import { CliBackend } from '../backend';
import type { CliIo } from '../io';

/**
 * A backend on the registry a command names. An explicit --registry must
 * already be a registry (a typo must not create an empty one); with none
 * named, the default registry is used and created on first use (ARCHITECTURE §4).
 */
export async function registryBackend(io: CliIo, registry: string | undefined): Promise<CliBackend> {
  if (registry === undefined) return new CliBackend(io, defaultRegistryDir());
  const backend = new CliBackend(io);
  await backend.run('registry.open', { path: registry });
  return backend;
}

/**
 * Runs an op after validating its input here, so a bad flag value is a usage
 * error (exit 2) rather than a failure of the command (exit 1).
 */
export async function runOp<K extends WorkerOpName>(backend: CliBackend, op: K, input: OpInput<K>): Promise<OpOutput<K>> {
  try {
    parseRequest(op, input);
  } catch (error) {
    if (error instanceof GreenLensError && error.code === 'invalid_input') {
      const field = error.info.field;
      throw new UsageError(field ? `--${kebab(field)}: ${error.message.replace(/^Invalid input for [^:]+: /, '')}` : error.message);
    }
    throw error;
  }
  return backend.run(op, input);
}

function kebab(field: string): string {
  return field.split('.')[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function versionArg(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required.`);
  if (!VersionSchema.safeParse(value).success) {
    throw new UsageError(`--${name} must be a semantic version MAJOR.MINOR.PATCH like 1.2.0, got "${value}".`);
  }
  return value;
}

/** One line of text: the deployment history keeps one line per event. */
export function reasonArg(value: string | undefined): string {
  if (value === undefined || value.trim() === '')
    throw new UsageError('--reason is required: say why (it is kept in the deployment history).');
  return value;
}

export type SubcommandRun = (argv: string[], io: CliIo) => Promise<number>;

/** `greenlens <group> <sub> …`: an unknown or missing subcommand is a usage error. */
export function subcommands(group: string, table: Record<string, SubcommandRun>) {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const [sub, ...rest] = argv;
    const run = sub === undefined ? undefined : Object.prototype.hasOwnProperty.call(table, sub) ? table[sub] : undefined;
    if (!run) {
      const names = Object.keys(table).join('|');
      throw new UsageError(
        sub === undefined || sub.startsWith('-')
          ? `say what to do: greenlens ${group} ${names}`
          : `unknown subcommand "${sub}"; use one of ${names}.`,
      );
    }
    return run(rest, io);
  };
}

export { parseCommandArgs };
