import type { Command } from '../command';
import { driftCommand, driftHelp } from './drift';
import { healthCommand, healthHelp } from './health';
import { reportCommand, reportHelp } from './report';

/** `greenlens drift`, `greenlens health` and `greenlens report` (ARCHITECTURE §7). */
export const monitoringCommands: Record<string, Command> = {
  drift: { help: driftHelp, run: (argv, io) => driftCommand(argv, io) },
  health: { help: healthHelp, run: (argv, io) => healthCommand(argv, io) },
  report: { help: reportHelp, run: (argv, io) => reportCommand(argv, io) },
};
