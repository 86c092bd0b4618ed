import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GreenLensError } from '../../contract';
import { WatchRunInputSchema } from '../../contract/ops/loop';
import type { WatchRunResult } from '../../contract/shared/loop';
import { startWatcher } from '../../backend/loop/watcher';
import { parseCommandArgs, requiredArg } from '../args';
import { CliBackend } from '../backend';
import type { CliIo } from '../io';
import { flagValue } from '../schema-args';
import { nameArg } from './train';

export const watchHelp = `greenlens watch    --registry DIR --folder DIR [--model M] [--policy FILE] [--once] [--settle MS]
  Process every new CSV or Parquet file of the folder: score it with production
  (logged), drift against production's profile, health, then retrain / evaluate /
  promote as the policy says (policy.json in the registry, or --policy FILE).
  A file is never processed twice (watch/state.json in the registry); one still
  growing is left for the next pass; a bad one is recorded as failed. --once makes
  one pass and exits; otherwise it keeps watching (and runs the policy's schedules).`;

const POLL_MS = 30_000;

export async function watchCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    registry: { type: 'string' },
    folder: { type: 'string' },
    model: { type: 'string' },
    policy: { type: 'string' },
    once: { type: 'boolean' },
    settle: { type: 'string' },
  });
  const registry = resolve(requiredArg(values.registry, 'registry'));
  const folder = resolve(requiredArg(values.folder, 'folder'));
  if (!existsSync(registry))
    throw new GreenLensError('not_found', `No registry at ${registry}.`, { file: registry, hint: 'Train a production model first.' });
  const model = nameArg(values.model, 'model');
  const settleMs = flagValue(WatchRunInputSchema.shape.settleMs, 'settle', values.settle);
  const backend = new CliBackend(io, registry);
  const input = { folder, settleMs, ...(model ? { model } : {}), ...(values.policy ? { policyPath: resolve(values.policy) } : {}) };
  const pass = async (): Promise<WatchRunResult> => {
    const r = await backend.run('watch.run', input);
    report(io, r);
    return r;
  };
  if (values.once) {
    io.result(await pass());
    return 0;
  }
  // Continuous: a pass now (catching up on what arrived meanwhile), then on every change in the folder,
  // every POLL_MS and at each schedule of the policy (backend/loop/watcher.ts, the app's worker runs the same).
  const { policy, schedules } = await backend.run('policy.get', {});
  const watcher = startWatcher({
    targets: [{ path: folder, model }],
    schedules: policy.schedule,
    settleMs,
    pollMs: POLL_MS,
    pass: async () => {
      const r = await pass();
      if (io.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    },
    onError: (_target, error) => io.warn((error as Error).message),
  });
  for (const s of schedules) io.say(`Schedule ${s.cron} (${s.task}): next run ${s.nextRun ?? 'never'}.`);
  io.say(`Watching ${folder} (Ctrl+C to stop).`);
  await new Promise<void>((done) => {
    const stop = (): void => void watcher.stop().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

function report(io: CliIo, r: WatchRunResult): void {
  for (const f of r.processed) {
    const drift = f.drift.datasetDrift
      ? `dataset drift (${f.drift.drifted.join(', ')})`
      : f.drift.drifted.length
        ? `drift in ${f.drift.drifted.join(', ')}`
        : 'no drift';
    io.say(
      `${f.file}: ${f.rows.toLocaleString('en-US')} rows, ${f.anomalies.toLocaleString('en-US')} anomalies, ${drift}, health ${f.health}.`,
    );
    for (const a of f.actions) io.say(`  ${a.type} ${a.version}: ${a.reason}`);
  }
  for (const f of r.failed) io.warn(`${f.file} failed: ${f.error}`);
  for (const p of r.pending) io.note(`${p} is still being written; left for the next pass.`);
  if (r.processed.length === 0 && r.failed.length === 0) io.say('No new files.');
}
