import pkg from '../../package.json';
import { createFileLogger, logDir } from '../backend/host/file-logger';
import { userDataDir } from '../backend/host/paths';
import { UsageError } from './args';
import { setCliEntry } from './backend';
import { COMMANDS } from './commands';
import { escapeControls } from './escape';
import { exitWhenDone } from './exit';
import { createIo, describeFailure, EXIT } from './io';
import { honourSignals } from './signals';

function usage(): string {
  return [
    `GreenLens ${pkg.version}: offline MLOps workbench for anomaly models on building energy data.`,
    '',
    'Usage:',
    ...Object.values(COMMANDS).map((c) => '  ' + c.help.replace(/\n/g, '\n  ')),
    '',
    'Every command takes --json (one JSON object on stdout) and --verbose (log lines, debug included, on stderr).',
    'Exit codes: 0 ok, 1 failure, 2 usage error, 3 drift found.',
    'greenlens --help | --version',
  ].join('\n');
}

/** `entryUrl`: the CLI entry module (index.ts), beside which the scoring thread's script is. */
export async function main(argv: string[], entryUrl: string): Promise<number> {
  honourSignals();
  setCliEntry(entryUrl);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(pkg.version + '\n');
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${escapeControls(name)}".\n\n${usage()}\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help + '\n');
    return EXIT.ok;
  }
  // The log file in the user's data folder; --verbose also prints every level, debug included, on stderr.
  const logger = createFileLogger({ dir: logDir(userDataDir()), stderrLevel: rest.includes('--verbose') ? 'debug' : null });
  const io = createIo(rest.includes('--json'), logger);
  try {
    return await command.run(rest, io, { entryUrl, version: pkg.version });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`greenlens ${name}: ${escapeControls(error.message)}\n${command.help}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`greenlens ${name}: ${describeFailure(error)}\n`);
    return EXIT.failure;
  }
}

/** Runs the command in `argv`, sets the exit code and ends the process when nothing is left to finish (exit.ts). */
export function runCli(argv: string[], entryUrl: string): void {
  main(argv, entryUrl).then(
    (code) => exitWhenDone(code),
    (error: unknown) => {
      process.stderr.write(`greenlens: ${describeFailure(error)}\n`);
      exitWhenDone(EXIT.failure);
    },
  );
}
