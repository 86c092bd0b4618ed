import { fmtNum } from '../../components/format';

/** Readings per second with sensible precision: 12,345/s, 87.5/s, 0.13/s. */
export function fmtRate(v: number | null): string {
  if (v === null) return '—';
  return `${v >= 100 ? fmtNum(v, 0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2)}/s`;
}
