import type { Command } from '../command';
import { scoreCommand, scoreHelp } from './score';
import { trainCommand, trainHelp } from './train';

/** `greenlens train` and `greenlens score` (ARCHITECTURE §7). */
export const modelCommands: Record<string, Command> = {
  train: { help: trainHelp, run: (argv, io) => trainCommand(argv, io) },
  score: { help: scoreHelp, run: (argv, io) => scoreCommand(argv, io) },
};
