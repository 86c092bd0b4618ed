const EULER_GAMMA = 0.5772156649015329;

/**
 * Average path length of an unsuccessful search in a binary search tree of n
 * items, c(n) = 2H(n-1) - 2(n-1)/n with H(i) ≈ ln(i) + γ. It estimates how much
 * deeper an unfinished (depth-limited) branch would have gone, and normalises
 * path lengths into scores. Same special cases as scikit-learn:
 * c(0) = c(1) = 0, c(2) = 1.
 */
export function cFactor(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}
