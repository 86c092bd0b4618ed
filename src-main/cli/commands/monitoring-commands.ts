import type { Command } from '../command';
import { driftCommand, driftHelp } from './drift';
import { healthCommand, healthHelp } from './health';

/** `greenlens drift` and `greenlens health` (ARCHITECTURE §7). */
export const monitoringCommands: Record<string, Command> = {
  drift: { help: driftHelp, run: (argv, io) => driftCommand(argv, io) },
  health: { help: healthHelp, run: (argv, io) => healthCommand(argv, io) },
};
