import { resolve } from 'node:path';
import { mergePredictionLogs } from '../../backend/live/merge-log';
import { requiredArg, UsageError } from '../args';
import { EXIT, type CliIo } from '../io';
import { parseCommandArgs, registryBackend } from './registry-shared';

export const mergeLogHelp = `greenlens registry merge-log --registry DIR --from WORKER_REGISTRY_OR_LOG_DIR [--from …]
  Fold the prediction logs of stream workers into this registry (each request keeps its rows,
  times, version, buildings and explanations); merging the same source again adds only requests that are new.`;

export async function mergeLogCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { registry: { type: 'string' }, from: { type: 'string', multiple: true } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"; name sources with --from DIR.`);
  const registry = resolve(requiredArg(values.registry, 'registry'));
  const from = values.from ?? [];
  if (from.length === 0) throw new UsageError('--from is required (a worker registry or its predictions folder).');
  const backend = await registryBackend(io, registry);
  const merged = await mergePredictionLogs(
    backend.state,
    from.map((f) => resolve(f)),
  );
  io.result({ registry: backend.state.registryPath, sources: merged });
  for (const m of merged) {
    io.say(
      `Merged ${m.readings.toLocaleString('en-US')} readings in ${m.requests.toLocaleString('en-US')} requests from ${m.source}` +
        (m.skippedRequests ? ` (${m.skippedRequests.toLocaleString('en-US')} requests merged before were left out).` : '.'),
    );
  }
  return EXIT.ok;
}
