/** Anomaly scores and thresholds live in (0, 1]; three fixed decimals keep a column of them aligned. */
export function fmtScore(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3);
}
