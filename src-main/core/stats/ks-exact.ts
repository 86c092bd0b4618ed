/**
 * Exact two-sided p-value of the two-sample KS statistic, ported from scipy
 * (`scipy.stats._stats_py._compute_prob_outside_square` and
 * `_stats_pythran._compute_outer_prob_inside_method`, scipy 1.17) so that
 * `ks2samp` reproduces `ks_2samp(method='auto')` p-values.
 */

/**
 * Pr(D_{n,n} ≥ h/n) for equal sample sizes:
 * 2·Σ_k (−1)^k binom(2n, n−k·h)/binom(2n, n), evaluated Horner-style on
 * ratios of binomials to avoid the subtractive cancellation of the raw sum.
 */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
    k--;
  }
  return 2 * p;
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) that leave the band
 * |x/m − y/n| < h/lcm(m,n) (Hodges' inside method, in the Viehmann form that
 * recurses on 1 − p directly so small p-values keep their precision). Only a
 * sliding window of one column is kept.
 */
export function outerProbInsideMethod(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj && j < lenA; j++) a[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj]! * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      // Entries that slid out of the band are paths already outside: probability 1.
      a.fill(1, maxj - minj, Math.min(lenA, maxj - minj + (lastlen - curlen)));
    }
  }
  return a[maxj - minj - 1]!;
}

export interface ExactAttempt {
  success: boolean;
  /** The statistic snapped to the lattice, h / lcm(n1, n2), as scipy reports it. */
  d: number;
  pValue: number;
}

/** scipy `_attempt_exact_2kssamp` for the two-sided alternative. */
export function attemptExactTwoSided(n1: number, n2: number, d: number): ExactAttempt {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const snapped = h / lcm;
  if (h === 0) return { success: true, d: snapped, pValue: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
  // scipy treats overflow / out-of-range results as failure and falls back to asymp.
  if (!(p >= 0 && p <= 1)) return { success: false, d: snapped, pValue: p };
  return { success: true, d: snapped, pValue: p };
}

export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** numpy's `np.round`: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
