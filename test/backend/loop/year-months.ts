import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeCsvAtomic } from '../../../src-main/backend/csv-file';
import { createJobContext } from '../../../src-main/backend/job';
import { BUILDING_KINDS } from '../../../src-main/contract/shared/data';
import { filterRows, getColumn, type Table } from '../../../src-main/core/data/table';
import { DEFAULT_YEAR_START, simulateYears } from '../../../src-main/core/data/year-simulator';

/**
 * A simulated year (`simulate --profile year`, README "The simulated data") cut
 * into monthly CSV files named 2025-01.csv … 2025-12.csv, as a meter export
 * folder would receive them.
 */
export function simulatedYear(buildings: number, seed: number, anomalyRate = 0.01): Table {
  return simulateYears({ buildings, years: 1, seed, anomalyRate, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
}

export function monthRows(table: Table, months: number[]): Table {
  const t = getColumn(table, 'timestamp')!;
  if (t.kind !== 'time') throw new Error('timestamp is not a time column');
  const keep = Uint8Array.from(t.values, (ms) => (months.includes(new Date(ms).getUTCMonth() + 1) ? 1 : 0));
  return filterRows(table, keep);
}

export async function writeMonths(table: Table, dir: string, months: number[]): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const ctx = createJobContext({ jobId: 'months', op: 'months' });
  const files: string[] = [];
  for (const m of months) {
    const file = join(dir, `2025-${String(m).padStart(2, '0')}.csv`);
    await writeCsvAtomic(file, monthRows(table, [m]), ctx);
    files.push(file);
  }
  return files;
}
