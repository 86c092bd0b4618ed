import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GreenLensError } from '../../contract';
import { parseCommandArgs, intArg, requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import type { CliIo } from '../io';

export const jobsHelp = `greenlens jobs list --registry DIR [--limit 50]
  The job history (jobs.ndjson): watched files, evaluations, retrains and
  promotions with start, end, outcome and the versions they made or moved.`;

export async function jobsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { registry: { type: 'string' }, limit: { type: 'string' } });
  if (positionals[0] !== 'list')
    throw new UsageError(`expected "list", got ${positionals[0] === undefined ? 'nothing' : `"${positionals[0]}"`}.`);
  const registry = resolve(requiredArg(values.registry, 'registry'));
  if (!existsSync(registry)) throw new GreenLensError('not_found', `No registry at ${registry}.`, { file: registry });
  const limit = intArg(values.limit, 'limit', 50, 1, 10_000);
  const { jobs } = await new CliBackend(io, registry).run('jobs.history', { limit });
  io.result({ jobs });
  if (jobs.length === 0) io.say('No jobs yet.');
  for (const j of jobs) {
    const versions = j.versions.length ? ` [${j.versions.join(', ')}]` : '';
    io.say(`${j.startedAt}  ${j.status.padEnd(11)} ${j.kind.padEnd(10)} ${j.file ?? j.model ?? ''}${versions}  ${j.error ?? j.outcome}`);
  }
  return 0;
}
