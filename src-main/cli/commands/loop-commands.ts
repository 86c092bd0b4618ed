import type { Command } from '../command';
import { abCommand, abHelp } from './ab';
import { evaluateCommand, evaluateHelp } from './evaluate';
import { jobsCommand, jobsHelp } from './jobs';
import { watchCommand, watchHelp } from './watch';

/** `greenlens evaluate`, `watch` and `jobs` (issue 12, ARCHITECTURE §4a). */
export const loopCommands: Record<string, Command> = {
  evaluate: { help: evaluateHelp, run: (argv, io) => evaluateCommand(argv, io) },
  watch: { help: watchHelp, run: (argv, io) => watchCommand(argv, io) },
  jobs: { help: jobsHelp, run: (argv, io) => jobsCommand(argv, io) },
  ab: { help: abHelp, run: (argv, io) => abCommand(argv, io) },
};
