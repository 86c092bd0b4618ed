import { scheduleAlerts } from '../alerts/evaluate';
import { GreenLensError } from '../../contract';
import type { LiveScoreInfo } from '../../contract/ops/live';
import { DEFAULT_MODEL } from '../../contract/shared/registry';
import { readingsFrom, type Reading } from '../../core/data/readings';
import { LiveLog, LiveScorer } from '../live/live-scorer';
import { liveStatus, startLive, stopLive } from '../live/live-source';
import type { BackendState } from '../state';
import type { Handlers } from './types';

/** One scorer and log per model choice, kept between requests (the version is re-resolved every few seconds). */
const scorers = new WeakMap<BackendState, Map<string, { scorer: LiveScorer; log: LiveLog; errors: unknown[] }>>();

function scorerFor(state: BackendState, model: string, alias: string | undefined) {
  let byKey = scorers.get(state);
  if (!byKey) scorers.set(state, (byKey = new Map()));
  const key = `${state.registryPath ?? ''}\n${model}\n${alias ?? ''}`;
  let entry = byKey.get(key);
  if (!entry) {
    const errors: unknown[] = [];
    entry = {
      scorer: new LiveScorer(state, { model, ...(alias ? { alias } : {}) }),
      // A POST answers once its readings are logged: no gathering interval.
      log: new LiveLog(state, (error) => errors.push(error), 0),
      errors,
    };
    byKey.set(key, entry);
  }
  return entry;
}

export const liveHandlers: Handlers<'live.score' | 'live.start' | 'live.stop' | 'live.status'> = {
  // The source outlives this request: its events go out through the context's emitter (the worker's event channel).
  'live.start': (args, ctx, state) => startLive(state, args, (event) => ctx.emit(event)),
  'live.stop': (_args, _ctx, state) => stopLive(state),
  'live.status': (_args, _ctx, state) => liveStatus(state),
  'live.score': async (args, ctx, state): Promise<LiveScoreInfo> => {
    const started = performance.now();
    const receivedAt = Date.now();
    const { scorer, log, errors } = scorerFor(state, args.model ?? DEFAULT_MODEL, args.alias);
    const loaded = await scorer.current();
    const features = loaded.features;
    const array = Array.isArray(args.readings);
    const items: unknown[] = array ? (args.readings as unknown[]) : [args.readings];
    const out: LiveScoreInfo['items'] = [];
    const readings: Reading[] = [];
    const at: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const parsed = readingsFrom(items[i], features, { receivedAt, ...loaded.requires });
      const r = parsed.readings[0];
      if (r) {
        readings.push(r);
        at.push(i);
        out.push({ error: '' });
      } else out.push({ error: `${array ? `reading ${i}: ` : ''}${parsed.errors[0] ?? 'not a reading'}` });
    }
    if (readings.length === 0) {
      const first = out[0] && 'error' in out[0] ? out[0].error : 'no readings';
      throw new GreenLensError('invalid_input', `No reading could be scored: ${first}.`, {
        field: 'readings',
        hint: `Each reading needs the model's features (${features.join(', ')}) as numbers; timestamp and building_id are optional.`,
      });
    }
    const batch = scorer.score(loaded, readings, started);
    for (let k = 0; k < at.length; k++) out[at[k]!] = batch.results[k]!;
    log.add(batch);
    await log.flush();
    if (errors.length) {
      const error = errors.splice(0).pop();
      throw error instanceof GreenLensError ? error : new GreenLensError('io', `Could not log the readings: ${(error as Error).message}`);
    }
    ctx.emit({ type: 'changed', topic: 'predictions' });
    scheduleAlerts(state, ctx, batch.model);
    return {
      model: batch.model,
      version: batch.version,
      items: out,
      array,
      scored: readings.length,
      rejected: items.length - readings.length,
      logged: readings.length,
    };
  },
};
