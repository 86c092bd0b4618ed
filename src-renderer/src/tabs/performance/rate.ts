import { fmtNum } from '../../components/format';

/** Readings per second with sensible precision: 12,345/s, 87.5/s, 0.13/s. */
export function fmtRate(v: number | null): string {
  if (v === null) return '—';
  return `${v >= 100 ? fmtNum(v, 0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2)}/s`;
}

/** Batch latency per reading, often far below 1 ms: "0.071 ms / reading". */
export function fmtPerReading(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return `${v >= 10 ? v.toFixed(0) : Number(v.toPrecision(2))} ms / reading`;
}

/** A value against a warning threshold (critical above twice it). */
export function thresholdStatus(v: number | null | undefined, limit: number | undefined): 'neutral' | 'healthy' | 'warning' | 'critical' {
  if (v === null || v === undefined || limit === undefined) return 'neutral';
  return v > 2 * limit ? 'critical' : v > limit ? 'warning' : 'healthy';
}
