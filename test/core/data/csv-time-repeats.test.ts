import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestampText } from '../../../src-main/core/data/csv-cells';
import { importCsv } from '../../../src-main/core/data/csv-import';
import { tempDir } from '../../helpers/backend';

/** The time column reuses the last parse when a cell repeats it; the values must be what parsing each cell gives. */
describe('time column with repeated timestamps', () => {
  const stamps = ['2024-03-01T00:00:00Z', '2024-03-01T00:00:00', '2024-03-01T01:00:00Z', '2024-03-01T01:00:00+02:00', '2024-03-01'];

  it('gives every row the value of its own text, in any order of repeats (property)', async () => {
    const dir = tempDir('gl-time-');
    let file = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...stamps), { minLength: 1, maxLength: 40 }), async (cells) => {
        const path = join(dir, `t${file++}.csv`);
        await writeFile(path, ['timestamp,kw', ...cells.map((c, i) => `${c},${i}`)].join('\n') + '\n');
        const { table, report } = await importCsv(path, { roles: { timestamp: 'timestamp', kw: 'feature' } });
        const col = table.columns.find((c) => c.name === 'timestamp')!;
        expect(col.kind).toBe('time');
        expect(Array.from((col as { values: Float64Array }).values)).toEqual(cells.map((c) => parseTimestampText(c).ms));
        const zoneless = cells.some((c) => !parseTimestampText(c).hasZone);
        expect(report.warnings.some((w) => w.includes('times without a time zone were read as UTC'))).toBe(zoneless);
      }),
      { numRuns: 60 },
    );
  });
});
