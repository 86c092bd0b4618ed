import { writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { getColumn, type Table } from '../../../src-main/core/data/table';
import type { loopBackend } from './loop-backend';
import { monthRows, writeMonths } from './year-months';

/**
 * What the lineage tests (lineage-dataset, lineage-file) count a watch
 * retrain's training rows with, independently of watch: whole months, and a
 * month before its evaluation days; and one watch pass over a new month that
 * must retrain.
 */

const DAY_MS = 86_400_000;

function times(t: Table): Float64Array {
  const c = getColumn(t, 'timestamp');
  if (c?.kind !== 'time') throw new Error('no time column');
  return c.values;
}

/** Rows of month `m` before its last 7 days of data time (the evaluation days). */
export function trainedPart(year: Table, m: number): number {
  const t = times(monthRows(year, [m]));
  const cut = Math.max(...t) - 7 * DAY_MS;
  return t.filter((ms) => ms < cut).length;
}

export const whole = (year: Table, months: number[]): number => monthRows(year, months).rowCount;

/** Writes the tests' policy to `file`: a band of 0 around a 50 % target puts every file outside it, so every pass retrains. */
export function alwaysRetrainPolicy(file: string): string {
  writeFileSync(
    file,
    JSON.stringify({
      retrain: { onDrift: false, onRate: true, window: 365 },
      promote: { auto: false, rules: { anomalyRateTarget: 0.5, anomalyRateBand: 0 } },
    }),
  );
  return file;
}

/** Drops month `month` into `inbox`, runs one watch pass and returns its retrain action. */
export async function retrainPass(
  b: ReturnType<typeof loopBackend>,
  w: { year: Table; inbox: string; policy: string },
  month: number,
): Promise<{ version: string; reason: string }> {
  await writeMonths(w.year, w.inbox, [month]);
  const r = await b.run('watch.run', { folder: w.inbox, policyPath: w.policy, settleMs: 0 });
  expect(r.failed).toEqual([]);
  const retrain = r.processed[0]?.actions.find((a) => a.type === 'retrain');
  if (!retrain) throw new Error(`month ${month}: no retrain in ${JSON.stringify(r)}`);
  return retrain;
}
