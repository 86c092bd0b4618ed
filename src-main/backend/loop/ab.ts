import { randomUUID } from 'node:crypto';
import { GreenLensError, type OpArgs } from '../../contract';
import type { AbReport, AbRun } from '../../contract/shared/ab';
import { DEFAULT_ALIAS } from '../../contract/shared/registry';
import { routeReadings } from '../../core/loop/ab';
import { abReport } from '../../core/loop/ab-report';
import { activeRun, readAbFile, writeAbFile } from '../../core/loop/ab-store';
import { latestFeedback, readingKey } from '../../core/feedback/summary';
import { withLock } from '../../core/registry';
import { readFeedback } from '../feedback/store';
import { readBuildingNames } from '../monitoring/buildings';
import { predictionLog } from '../prediction-sink';
import { withModel } from '../registry/pick-model';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';

/**
 * A/B and shadow runs (issue 12 item 4, ARCHITECTURE §4a): starting and
 * stopping them in `ab.json`, the run a scoring of an alias follows, and the
 * report from the logged predictions.
 */

type StartArgs = OpArgs<'ab.start'> & { mode?: 'ab' | 'shadow' };

export async function startRun(args: StartArgs, state: BackendState): Promise<AbRun> {
  const registry = await currentRegistry(state);
  const { model } = await withModel(registry, args);
  const mode = args.mode ?? 'ab';
  const championVersion = (await registry.manifest()).models[model]?.aliases[args.alias];
  if (!championVersion) {
    throw new GreenLensError('invalid_input', `${model} has no ${args.alias} alias: promote a version to ${args.alias} first.`, {
      field: 'alias',
      hint: `greenlens promote --registry DIR --model ${model} --version V --alias ${args.alias}`,
    });
  }
  await registry.getVersion(model, args.challenger);
  if (args.challenger === championVersion) {
    throw new GreenLensError(
      'invalid_input',
      `${model} ${args.challenger} is already ${args.alias}: pick another version as the challenger.`,
      {
        field: 'challenger',
      },
    );
  }
  return withLock(registry.dir, async () => {
    const data = await readAbFile(registry.dir);
    const running = activeRun(data, model, args.alias);
    if (running) {
      throw new GreenLensError(
        'conflict',
        `${model} ${args.alias} already has an active ${running.mode === 'ab' ? 'A/B' : 'shadow'} run (challenger ${running.challenger}, started ${running.startedAt}): stop it first.`,
        { field: 'alias', hint: `greenlens ab stop --registry DIR --model ${model} --alias ${args.alias}` },
      );
    }
    const run: AbRun = {
      id: randomUUID(),
      model,
      alias: args.alias,
      mode,
      challenger: args.challenger,
      champion: championVersion,
      share: mode === 'ab' ? args.share : 0,
      by: args.by,
      // Fixed per alias and challenger: restarting the same A/B routes every key as before.
      salt: `${model}/${args.alias}/${args.challenger}`,
      startedAt: new Date().toISOString(),
      stoppedAt: null,
      reason: args.reason,
    };
    data.runs.push(run);
    await writeAbFile(registry.dir, data);
    return run;
  });
}

export async function stopRun(args: OpArgs<'ab.stop'>, state: BackendState): Promise<AbRun> {
  const registry = await currentRegistry(state);
  const { model } = await withModel(registry, args);
  return withLock(registry.dir, async () => {
    const data = await readAbFile(registry.dir);
    const run = activeRun(data, model, args.alias);
    if (!run) throw new GreenLensError('not_found', `${model} ${args.alias} has no active A/B or shadow run.`, { field: 'alias' });
    run.stoppedAt = new Date().toISOString();
    await writeAbFile(registry.dir, data);
    return run;
  });
}

/** Stops the alias's active run when its challenger was just promoted to that alias; true when it did. */
export async function endRunOnPromotion(state: BackendState, model: string, alias: string, version: string): Promise<boolean> {
  const registry = await currentRegistry(state);
  return withLock(registry.dir, async () => {
    const data = await readAbFile(registry.dir);
    const run = activeRun(data, model, alias);
    if (!run || run.challenger !== version) return false;
    run.stoppedAt = new Date().toISOString();
    await writeAbFile(registry.dir, data);
    return true;
  });
}

export async function listRuns(model: string | undefined, state: BackendState): Promise<AbRun[]> {
  const registry = await currentRegistry(state);
  const data = await readAbFile(registry.dir);
  return data.runs.filter((r) => model === undefined || r.model === model).reverse();
}

/**
 * The run a scoring follows: only a scoring of the alias (no version named),
 * whose version is still what the alias names (a promotion mid-run makes the
 * challenger the alias's own version: it then scores alone).
 */
export async function routeFor(
  state: BackendState,
  model: string,
  by: { version?: string | undefined; alias?: string | undefined },
  championVersion: string,
): Promise<AbRun | null> {
  if (by.version !== undefined) return null;
  const registry = await currentRegistry(state);
  const run = activeRun(await readAbFile(registry.dir), model, by.alias ?? DEFAULT_ALIAS);
  return run && run.challenger !== championVersion ? run : null;
}

/**
 * 1 where the challenger decides a reading. By building: the hash of its
 * building id; by reading, or for a reading without a building: the hash of
 * its building, time (else values). Live readings use the same keys.
 */
export function routeRows(
  run: AbRun,
  n: number,
  ids: { codes: Int32Array; dictionary: string[] } | null,
  times: Float64Array | null,
  values: readonly Float64Array[],
): Uint8Array {
  if (run.mode === 'shadow') return new Uint8Array(n);
  const keyOf = (i: number): string => {
    const id = ids && ids.codes[i]! >= 0 ? ids.dictionary[ids.codes[i]!]! : '';
    if (run.by === 'building' && id !== '') return id;
    return times ? `${id}\u0001${times[i]}` : `${id}\u0001${values.map((v) => v[i]).join(',')}`;
  };
  if (run.by !== 'building' || !ids) return routeReadings(n, run, { keyOf });
  // One hash per building; a row without a building is routed by its own key, as a live reading is.
  const arms = routeReadings(n, run, ids);
  for (let i = 0; i < n; i++) if (ids.codes[i]! < 0) arms[i] = routeReadings(1, run, { keyOf: () => keyOf(i) })[0]!;
  return arms;
}

/** The scores and flags the output shows: the challenger's where it decides, else the champion's. */
export function mergeArms(
  arms: Uint8Array,
  champion: { scores: Float64Array; flags: Uint8Array },
  challenger: { scores: Float64Array; flags: Uint8Array },
): { scores: Float64Array; flags: Uint8Array } {
  const scores = Float64Array.from(champion.scores);
  const flags = Uint8Array.from(champion.flags);
  for (let i = 0; i < arms.length; i++) {
    if (!arms[i]) continue;
    scores[i] = challenger.scores[i]!;
    flags[i] = challenger.flags[i]!;
  }
  return { scores, flags };
}

/** Which run a report is about: by id, else the alias's active run, else its newest. */
async function pickRun(args: OpArgs<'ab.report'>, state: BackendState): Promise<AbRun> {
  const registry = await currentRegistry(state);
  const data = await readAbFile(registry.dir);
  if (args.id !== undefined) {
    const run = data.runs.find((r) => r.id === args.id);
    if (!run) throw new GreenLensError('not_found', `No A/B or shadow run with id ${args.id}.`, { field: 'id' });
    return run;
  }
  const { model } = await withModel(registry, args);
  const runs = data.runs.filter((r) => r.model === model && r.alias === args.alias);
  const run = runs.find((r) => r.stoppedAt === null) ?? runs[runs.length - 1];
  if (!run) {
    throw new GreenLensError('not_found', `${model} ${args.alias} has had no A/B or shadow run.`, {
      field: 'alias',
      hint: `greenlens ab start --registry DIR --model ${model} --challenger V`,
    });
  }
  return run;
}

/**
 * ab.report: the run's logged predictions (request time from its start to its
 * stop, shadow included), labels from the log or, where it has none, from
 * feedback verdicts on the same reading.
 */
export async function reportRun(args: OpArgs<'ab.report'>, state: BackendState): Promise<AbReport> {
  const run = await pickRun(args, state);
  const registry = await currentRegistry(state);
  const log = await predictionLog(state);
  const from = Date.parse(run.startedAt);
  const to = run.stoppedAt === null ? Number.POSITIVE_INFINITY : Date.parse(run.stoppedAt) + 1;
  const rows = await log.readRange(from, to, { model: run.model, columns: [], shadow: true });
  const feedback = latestFeedback((await readFeedback(registry.dir)).records, run.model);
  let extraLabels: Int8Array | undefined;
  if (feedback.size > 0) {
    const names = await readBuildingNames(registry.dir);
    extraLabels = new Int8Array(rows.length).fill(-1);
    for (let i = 0; i < rows.length; i++) {
      const slot = rows.building[i]!;
      const key = readingKey({
        model: run.model,
        version: rows.versions[rows.versionIndex[i]!]!.version,
        building: slot > 0 ? (names[slot - 1] ?? null) : null,
        dataTime: rows.time[i]!,
      });
      const f = feedback.get(key);
      if (f) extraLabels[i] = f.verdict === 'fault' ? 1 : 0;
    }
  }
  return abReport(run, rows, { resamples: args.resamples, seed: args.seed, ...(extraLabels ? { extraLabels } : {}) });
}
