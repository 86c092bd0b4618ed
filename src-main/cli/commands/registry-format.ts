import type { DeploymentEvent, VersionMeta } from '../../contract/ops/registry';

/** Plain-text formatting for the registry commands (tables: ./table.ts). */

export function fmtValue(v: unknown): string {
  if (v === undefined) return '(none)';
  if (v === null) return '—';
  if (typeof v === 'number') return fmtNumber(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function fmtNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Number(v.toPrecision(digits)).toString();
}

export function fmtSigned(v: number | null): string {
  if (v === null) return '—';
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${fmtNumber(Math.abs(v))}`;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}

/** `2025-03-01T10:04:05.123Z` → `2025-03-01 10:04` (UTC, as stored). */
export function fmtTime(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}

/** Parameters worth a column: what a person tunes (ARCHITECTURE §5). */
export const KEY_PARAMS = ['trees', 'sampleSize', 'contamination'] as const;
/** Metrics worth a column, in this order, when any version has them. */
const PREFERRED_METRICS = ['rocAuc', 'f1', 'anomalyRate', 'trainingMs', 'precision', 'recall'];

/** The metric columns for a list: preferred names that exist, else the first few names found. */
export function keyMetrics(versions: VersionMeta[]): string[] {
  const names = new Set(versions.flatMap((v) => Object.keys(v.metrics)));
  const preferred = PREFERRED_METRICS.filter((m) => names.has(m));
  return preferred.length ? preferred.slice(0, 4) : [...names].sort().slice(0, 4);
}

export function describeEvent(e: DeploymentEvent): string {
  if (e.action === 'archive') return `archived ${e.model} ${e.version}`;
  const verb = e.action === 'promote' ? 'promoted' : 'rolled back';
  return `${verb} ${e.model} ${e.alias}: ${e.from ?? '(none)'} → ${e.to}`;
}
