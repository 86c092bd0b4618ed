/** Number formatting for the human-readable reasons and alerts of drift reports. */

/** Statistics such as PSI or σ multiples: three significant digits, no exponent for ordinary sizes. */
export function fmtStat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3)
    return x
      .toExponential(2)
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e');
  return String(Number(x.toPrecision(3)));
}

/** p-values: "1.2e-9" when small, else two significant digits. */
export function fmtP(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  if (p === 0) return '0';
  if (p < 1e-3) return p.toExponential(1).replace('e+', 'e');
  return String(Number(p.toPrecision(2)));
}

/** Thresholds exactly as configured (0.1 stays "0.1"). */
export function fmtThreshold(x: number): string {
  return String(x);
}
