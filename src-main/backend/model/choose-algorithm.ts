import { GreenLensError, type OpArgs } from '../../contract';
import type { Algorithm } from '../../contract/ops/model';
import { finiteAtShare } from '../../core/model/contextual/robust';
import { DEFAULT_SETTINGS } from '../../core/model/contextual/types';
import type { Dataset } from '../datasets';
import { featureNames, labelColumn } from './columns';
import { chooseContextualColumns, hasTimestamp } from './contextual-data';

const HOUR_MS = 3_600_000;

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
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  for (let i = 0; i < t.length; i++) {
    const v = t[i]!;
    if (!Number.isFinite(v) || v >= cutoff) continue;
    const g = codes ? codes[i]! : 0;
    if (!(v >= (first.get(g) ?? Infinity))) first.set(g, v);
    if (!(v <= (last.get(g) ?? -Infinity))) last.set(g, v);
  }
  let best = 0;
  for (const [g, a] of first) best = Math.max(best, (last.get(g)! - a) / HOUR_MS);
  return best;
}
