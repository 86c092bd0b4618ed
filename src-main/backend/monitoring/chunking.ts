import { GreenLensError } from '../../contract';
import { timeSpan } from '../../core/data/calendar';
import type { ChunkBy } from '../../core/drift/chunks';
import { DAY_MS, HOUR_MS, WEEK_MS } from '../../contract/shared/time';

/** Coarsest first: see chooseChunking. */
const PERIODS: Array<['hour' | 'day' | 'week', number]> = [
  ['week', WEEK_MS],
  ['day', DAY_MS],
  ['hour', HOUR_MS],
];
/**
 * Rows a chunk should hold before its PSI means something: with no drift at all
 * PSI averages about (B−1)/n, so ≈ 0.045 at 200 rows, half the 0.1 threshold.
 */
export const TARGET_CHUNK_ROWS = 200;
const MAX_AUTO_CHUNKS = 50;

export type ChunkRequest = 'auto' | 'hour' | 'day' | 'week' | 'rows' | 'none';

/**
 * How to cut the current window for the drift trend. 'auto' prefers whole weeks,
 * then whole days: building readings follow daily and weekly cycles, so a chunk
 * shorter than a cycle (a Sunday, a night) differs from a reference that spans
 * whole weeks by construction, and would show drift that is only the calendar.
 * A period is used when the window covers at least two of them and they hold
 * ~200 readings on average; hours only for windows shorter than two days.
 */
export function chooseChunking(by: ChunkRequest, rows: number, timestamps: Float64Array | null, chunkRows?: number): ChunkBy | null {
  if (by === 'none' || rows === 0) return null;
  if (by === 'rows') return { rows: chunkRows ?? autoRows(rows) };
  const range = timestamps ? timeSpan(timestamps) : null;
  const span = range ? range[1] - range[0] : null;
  if (by !== 'auto') {
    if (span === null) {
      throw new GreenLensError('invalid_input', `Drift by ${by} needs reading times, and the current data has no timestamp column.`, {
        field: 'chunkBy',
        hint: 'Chunk by rows instead.',
      });
    }
    return by;
  }
  if (span !== null) {
    for (const [name, ms] of PERIODS) {
      const periods = span / ms;
      if (periods >= 2 && rows / Math.ceil(periods) >= TARGET_CHUNK_ROWS) return name;
    }
  }
  return { rows: autoRows(rows) };
}

function autoRows(rows: number): number {
  return Math.max(TARGET_CHUNK_ROWS, Math.ceil(rows / MAX_AUTO_CHUNKS));
}
