/**
 * Multiple-testing corrections over a family of p-values, as statsmodels'
 * `multipletests(p, method='bonferroni' | 'fdr_bh')[1]`. NaN p-values (tests
 * that could not run) stay NaN and do not count towards the family size.
 */

export type Correction = 'none' | 'bonferroni' | 'benjamini-hochberg';

export function bonferroni(pValues: ArrayLike<number>): number[] {
  const m = countFinite(pValues);
  return Array.from(pValues, (p) => (Number.isNaN(p) ? NaN : Math.min(1, p * m)));
}

/**
 * Benjamini–Hochberg step-up adjusted p-values: p_(i)·m/i, made monotone from
 * the largest p downwards and capped at 1. Controls the false discovery rate
 * across features, which suits drift screening better than Bonferroni's
 * family-wise control.
 */
export function benjaminiHochberg(pValues: ArrayLike<number>): number[] {
  const out = Array.from(pValues, () => NaN);
  const order: number[] = [];
  for (let i = 0; i < pValues.length; i++) if (!Number.isNaN(pValues[i]!)) order.push(i);
  // Tied p-values end up with the same adjusted value whatever their order.
  order.sort((a, b) => pValues[a]! - pValues[b]!);
  const m = order.length;
  let running = Infinity;
  for (let rank = m; rank >= 1; rank--) {
    const idx = order[rank - 1]!;
    const adjusted = (pValues[idx]! * m) / rank;
    if (adjusted < running) running = adjusted;
    // p·m/rank ≥ p in exact arithmetic; max() stops a 1-ulp rounding from breaking that.
    out[idx] = Math.min(1, Math.max(pValues[idx]!, running));
  }
  return out;
}

export function adjustPValues(pValues: ArrayLike<number>, method: Correction): number[] {
  switch (method) {
    case 'none':
      return Array.from(pValues);
    case 'bonferroni':
      return bonferroni(pValues);
    case 'benjamini-hochberg':
      return benjaminiHochberg(pValues);
  }
}

function countFinite(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) m++;
  return m;
}
