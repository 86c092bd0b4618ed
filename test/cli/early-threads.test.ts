import { describe, expect, it } from 'vitest';
import { dataFlag } from '../../src-main/cli/early-threads';
import { parseCommandArgs } from '../../src-main/cli/args';

/** The early look at `greenlens score`'s arguments finds the file the command itself will read. */
describe('dataFlag', () => {
  const cases: string[][] = [
    ['score', '--registry', 'R', '--data', 'a.csv', '--json'],
    ['score', '--data=b.csv', '--out', 'o.csv'],
    ['score', '--registry', 'R', '--json'],
    ['score', '--registry', 'R', '--', '--data', 'c.csv'],
  ];

  it('reads --data as the command does, in both forms, and nothing after --', () => {
    expect(cases.map(dataFlag)).toEqual(['a.csv', 'b.csv', null, null]);
    for (const argv of cases) {
      const { values } = parseCommandArgs(argv.slice(1), {
        registry: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
      });
      expect(dataFlag(argv)).toBe(values.data ?? null);
    }
  });
});
