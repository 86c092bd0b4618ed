import { DAY_MS } from '../../../src-main/contract/shared/time';

/** Number formats of ARCHITECTURE §8a: PSI 3 decimals, p-values scientific below 0.001, latency in ms. */
export function fmtNum(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: Math.abs(v) >= 1000 ? 0 : Math.min(digits, 2) });
}

export function fmtInt(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : Math.round(v).toLocaleString('en-US');
}

export function fmtPsi(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toFixed(3);
}

export function fmtP(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v < 0.001 ? v.toExponential(1) : v.toFixed(3);
}

export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(0)} ms`;
}

export function fmtPct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : `${(v * 100).toFixed(digits)}%`;
}

/** Every time shown says its zone: the app shows times in UTC. */
export function fmtTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function fmtDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** Axis labels that fit the span: hours within two days, dates beyond. */
export function timeTickFormat(series: readonly { x: readonly number[] }[]): (ms: number) => string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const x of s.x) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  const span = hi - lo;
  if (span <= 2 * DAY_MS) return (ms) => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');
  return fmtDate;
}
