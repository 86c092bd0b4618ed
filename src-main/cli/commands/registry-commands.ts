import type { Command } from '../command';
import { registryCommand, registryHelp } from './registry';
import { versionsCommand, versionsHelp } from './versions';

/** `greenlens versions …` and `greenlens registry …` (ARCHITECTURE §7). */
export const registryCommands: Record<string, Command> = {
  versions: { help: versionsHelp, run: (argv, io) => versionsCommand(argv, io) },
  registry: { help: registryHelp, run: (argv, io) => registryCommand(argv, io) },
};
