import type { Command } from '../command';
import { alertsCommand, alertsHelp } from './alerts';
import { feedbackCommand, feedbackHelp } from './feedback';
import { loopCommands } from './loop-commands';
import { modelCommands } from './model-commands';
import { monitoringCommands } from './monitoring-commands';
import { registryCommands } from './registry-commands';
import { serveCommand, serveHelp } from './serve';
import { simulateCommand, simulateHelp } from './simulate';
import { replayCommand, replayHelp } from './replay';
import { streamCommand, streamHelp } from './stream';

/** Every command, in the order `greenlens --help` lists them (ARCHITECTURE §7). */
export const COMMANDS: Record<string, Command> = {
  simulate: { help: simulateHelp, run: simulateCommand },
  ...modelCommands,
  ...monitoringCommands,
  ...registryCommands,
  alerts: { help: alertsHelp, run: (argv, io) => alertsCommand(argv, io) },
  feedback: { help: feedbackHelp, run: (argv, io) => feedbackCommand(argv, io) },
  ...loopCommands,
  stream: { help: streamHelp, run: (argv, io) => streamCommand(argv, io) },
  replay: { help: replayHelp, run: (argv, io) => replayCommand(argv, io) },
  serve: { help: serveHelp, run: (argv, io, env) => serveCommand(argv, io, env.entryUrl, env.version) },
};
