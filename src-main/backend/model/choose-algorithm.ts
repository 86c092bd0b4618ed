import { GreenLensError, type OpArgs } from '../../contract';
import type { Algorithm } from '../../contract/ops/model';
import { finiteAtShare } from '../../core/model/contextual/robust';
import { DEFAULT_SETTINGS } from '../../core/model/contextual/types';
import type { Dataset } from '../datasets';
import { featureNames, labelColumn } from './columns';
import { chooseContextualColumns, hasTimestamp } from './contextual-data';
import { HOUR_MS } from '../../contract/shared/time';

/**
 * Which detector `model.train` fits when the request names none (README "The
 * model"): the contextual detector on timestamped readings with an energy-like
 * meter and enough history, else the Isolation Forest — with a note saying
 * why, since a person who expected the contextual detector should learn what
 * their data lacks.
 */
export function chooseAlgorithm(ds: Dataset, args: OpArgs<'model.train'>): { algorithm: Algorithm; note: string | null } {
  if (args.algorithm) return { algorithm: args.algorithm, note: null };
  // Named meters are a request for the contextual detector: their errors are the person's to see.
  if (args.meters) return { algorithm: 'contextual', note: null };
  const forest = (why: string) => ({ algorithm: 'isolation-forest' as const, note: `${why} So an Isolation Forest was trained.` });
  if (!hasTimestamp(ds)) {
    return forest(
      `Dataset "${ds.info.name}" has no timestamp column, and the contextual detector (the default for timestamped readings) needs one.`,
    );
  }
  try {
    chooseContextualColumns(ds, featureNames(ds, args.features), undefined);
  } catch (error) {
    if (!(error instanceof GreenLensError) || error.info.field !== 'meters') throw error;
    return forest(`${error.message.slice(0, -1)}, and the contextual detector baselines meters (name them with --meters to use it).`);
  }
  const days = DEFAULT_SETTINGS.minHistoryHours / 24;
  const held = labelColumn(ds, args.label) ? args.holdout : 0;
  if (longestHistoryHours(ds, held) < DEFAULT_SETTINGS.minHistoryHours) {
    return forest(
      `No building in dataset "${ds.info.name}" has ${days} days of readings${held ? ' before the holdout' : ''}, ` +
        'which the contextual detector needs for its baselines.',
    );
  }
  return { algorithm: 'contextual', note: null };
}

/**
 * The longest time span of any building (the id column's groups; one building
 * without one) before the holdout cutoff, which, like contextual training,
 * holds out the last share of the time span.
 */
function longestHistoryHours(ds: Dataset, holdout: number): number {
  const time = ds.table.columns.find((c) => ds.roles[c.name] === 'timestamp' && c.kind === 'time');
  const id = ds.table.columns.find((c) => ds.roles[c.name] === 'id' && c.kind === 'category');
  if (!time || time.kind !== 'time') return 0;
  const t = time.values;
  const at = holdout > 0 ? finiteAtShare(t, 1 - holdout) : NaN;
  const cutoff = Number.isNaN(at) ? Infinity : at;
  const codes = id && id.kind === 'category' ? id.codes : null;
  // Per code (−1, rows without an id, at 0), in typed arrays: a Map lookup per reading cost a tenth of a second on a year of 100 buildings.
  let top = 0;
  if (codes) for (let i = 0; i < codes.length; i++) if (codes[i]! > top) top = codes[i]!;
  const first = new Float64Array(top + 2).fill(Infinity);
  const last = new Float64Array(top + 2).fill(-Infinity);
  for (let i = 0; i < t.length; i++) {
    const v = t[i]!;
    if (!Number.isFinite(v) || v >= cutoff) continue;
    const g = (codes ? codes[i]! : 0) + 1;
    if (v < first[g]!) first[g] = v;
    if (v > last[g]!) last[g] = v;
  }
  let best = 0;
  for (let g = 0; g < first.length; g++) if (first[g]! <= last[g]!) best = Math.max(best, (last[g]! - first[g]!) / HOUR_MS);
  return best;
}
