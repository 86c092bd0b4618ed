import { countByEdges, countByEdgesSorted } from './histogram';
import { quantileSorted } from './quantile';
import { sortFinite } from './sort';

/** ARCHITECTURE §6: a zero bin proportion is replaced by this before the log ratio. */
export const PSI_EPSILON = 1e-4;
export const PSI_DEFAULT_BINS = 10;

/**
 * PSI bin edges: the reference quantiles at 1/B … (B-1)/B (numpy linear
 * interpolation), with duplicates merged so repeated values (e.g. a sensor
 * stuck at 0) do not create empty zero-width bins. The bins are then
 * `(-inf, e1], (e1, e2], …, (e_k, +inf)`.
 */
export function psiEdges(refSorted: ArrayLike<number>, bins: number = PSI_DEFAULT_BINS): number[] {
  if (!Number.isInteger(bins) || bins < 2) throw new RangeError(`PSI needs at least 2 bins, got ${bins}`);
  if (refSorted.length === 0) return [];
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const e = quantileSorted(refSorted, k / bins);
    if (edges.length === 0 || e !== edges[edges.length - 1]) edges.push(e);
  }
  return edges;
}

/** PSI = Σ (cur − ref) · ln(cur / ref) over bin proportions, zeros replaced by {@link PSI_EPSILON}. */
export function psiFromProportions(refProportions: ArrayLike<number>, curProportions: ArrayLike<number>): number {
  if (refProportions.length !== curProportions.length) {
    throw new RangeError(`PSI needs the same bins on both sides (${refProportions.length} vs ${curProportions.length})`);
  }
  let sum = 0;
  for (let i = 0; i < refProportions.length; i++) {
    const r = refProportions[i]! === 0 ? PSI_EPSILON : refProportions[i]!;
    const c = curProportions[i]! === 0 ? PSI_EPSILON : curProportions[i]!;
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
}

/** PSI from bin counts on shared bins; NaN when either side is empty. */
export function psiFromCounts(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): number {
  const ref = toProportions(refCounts);
  const cur = toProportions(curCounts);
  if (ref === null || cur === null) return NaN;
  return psiFromProportions(ref, cur);
}

/** Proportions per PSI bin of a sample; `sorted` selects the faster counting path. */
export function psiProportions(values: ArrayLike<number>, edges: ArrayLike<number>, sorted = false): number[] | null {
  return toProportions(sorted ? countByEdgesSorted(values, edges) : countByEdges(values, edges));
}

/** PSI of two raw samples (NaN and ±Infinity ignored), edges from the reference. */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>, bins: number = PSI_DEFAULT_BINS): number {
  const ref = sortFinite(reference);
  const cur = sortFinite(current);
  if (ref.length === 0 || cur.length === 0) return NaN;
  const edges = psiEdges(ref, bins);
  return psiFromCounts(countByEdgesSorted(ref, edges), countByEdgesSorted(cur, edges));
}

function toProportions(counts: ArrayLike<number>): number[] | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total <= 0) return null;
  const out = new Array<number>(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i]! / total;
  return out;
}
