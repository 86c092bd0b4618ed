const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

/**
 * Number(x.toFixed(digits)) for digits 0–6, without making and reading back a
 * string: the nearest multiple of 10^−digits, a tie away from zero. Math.round
 * of x·10^digits finds it unless that product lands within rounding error of a
 * half (or is too large to have a fraction), and then toFixed decides. Explaining
 * the flags of a large request rounded seven shares per flag, and toFixed was
 * most of picking the top three.
 */
export function roundFixed(x: number, digits: number): number {
  const p = POW10[digits];
  if (p === undefined) throw new Error(`roundFixed: digits must be 0–6, got ${digits}`);
  const y = x * p;
  const a = Math.abs(y);
  if (!(a < 2 ** 52) || Math.abs(a - Math.floor(a) - 0.5) <= 1e-9 * Math.max(1, a)) return Number(x.toFixed(digits));
  const n = Math.round(y);
  // toFixed writes −0 for a negative that rounds to zero ("-0.0000"), and 0 for −0 itself.
  if (n === 0) return x < 0 ? -0 : 0;
  return n / p;
}
