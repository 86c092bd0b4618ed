/**
 * Jensen–Shannon distance between two histograms on shared bins, as
 * `scipy.spatial.distance.jensenshannon(p, q)` with its default natural-log
 * base: sqrt((KL(p‖m) + KL(q‖m)) / 2), m = (p + q) / 2, after normalising
 * each side to sum 1. With base e it lies in [0, sqrt(ln 2)] ≈ [0, 0.8326];
 * pass `base = 2` for the [0, 1] scale. Empty bins are fine (0·log 0 = 0).
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>, base?: number): number {
  if (p.length !== q.length) throw new RangeError(`Jensen–Shannon needs shared bins (${p.length} vs ${q.length})`);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i]! < 0 || q[i]! < 0) throw new RangeError('Jensen–Shannon needs non-negative weights');
    sp += p[i]!;
    sq += q[i]!;
  }
  if (sp <= 0 || sq <= 0) return NaN;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    const m = (pi + qi) / 2;
    js += relEntr(pi, m) + relEntr(qi, m);
  }
  if (base !== undefined) js /= Math.log(base);
  // Rounding can leave a tiny negative sum for identical inputs.
  return Math.sqrt(Math.max(0, js / 2));
}

/** scipy.special.rel_entr: x·log(x/y), 0 at x = 0. */
function relEntr(x: number, y: number): number {
  if (x === 0) return 0;
  return x * Math.log(x / y);
}
