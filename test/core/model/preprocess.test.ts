import { describe, expect, it } from 'vitest';
import { applyGroupScaler, fitGroupScaler, scalerToJson, unseenGroups, type GroupCodes } from '../../../src-main/core/model/preprocess';
import { loadScaler } from '../../../src-main/core/model/preprocess-schema';
import { fitIsolationForest, scoreSamples } from '../../../src-main/core/model/isolation-forest';

const range = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));

/**
 * Group A: x = 1..10, y constant 3. Group B: x = 100..190, y = eight 0s, 5, 10.
 * Group C: three rows (too few for its own stats).
 */
function fixture(): { columns: Float64Array[]; groups: GroupCodes } {
  const x = [...range(10, (i) => i + 1), ...range(10, (i) => 100 + 10 * i), 7, 8, 9];
  const y = [...range(10, () => 3), ...range(8, () => 0), 5, 10, 1, 2, 3];
  const codes = [...range(10, () => 0), ...range(10, () => 1), 2, 2, 2];
  return { columns: [Float64Array.from(x), Float64Array.from(y)], groups: { codes: Int32Array.from(codes), dictionary: ['A', 'B', 'C'] } };
}

describe('fitGroupScaler', () => {
  const { columns, groups } = fixture();
  const s = fitGroupScaler(columns, ['x', 'y'], groups);
  const stats = (id: string) => s.groups.find((g) => g.id === id)!;

  it('stores the median and IQR/1.349 per group (numpy linear quantiles)', () => {
    // A: q25 = 3.25, q75 = 7.75. B: q25 = 122.5, q75 = 167.5.
    expect(stats('A').median[0]).toBe(5.5);
    expect(stats('A').scale[0]).toBeCloseTo(4.5 / 1.349, 12);
    expect(stats('B').median[0]).toBe(145);
    expect(stats('B').scale[0]).toBeCloseTo(45 / 1.349, 12);
    expect(stats('A').count).toEqual([10, 10]);
  });

  it('falls back to the std when the IQR is 0, then to the global scale', () => {
    // B's y: IQR 0 (eight zeros), population std sqrt(10.25).
    expect(stats('B').median[1]).toBe(0);
    expect(stats('B').scale[1]).toBeCloseTo(Math.sqrt(10.25), 12);
    // A's y is constant: its own median, the global scale of y.
    expect(stats('A').median[1]).toBe(3);
    expect(stats('A').scale[1]).toBe(s.global.scale[1]);
  });

  it('pools every row for the global stats and gives small groups the global stats', () => {
    // 23 pooled x values: median is the 12th smallest = 9; q25 pos 5.5 → 6.5; q75 pos 16.5 → 135.
    expect(s.global.median[0]).toBe(9);
    expect(s.global.scale[0]).toBeCloseTo((135 - 6.5) / 1.349, 12);
    expect(stats('C').count).toEqual([3, 3]);
    expect(stats('C').median).toEqual(s.global.median);
    expect(stats('C').scale).toEqual(s.global.scale);
  });

  it('without groups fits only the global stats; ignores NaN; rejects mismatched input', () => {
    const g = fitGroupScaler(columns, ['x', 'y'], null);
    expect(g.groups).toEqual([]);
    expect(g.global).toEqual(s.global);
    const withNaN = fitGroupScaler([Float64Array.from([1, NaN, 3, 5])], ['x'], null);
    expect(withNaN.global).toMatchObject({ count: [3], median: [3] });
    expect(() => fitGroupScaler(columns, ['x'], groups)).toThrow('expected 1 feature columns, got 2');
    expect(() => fitGroupScaler(columns, ['x', 'y'], { codes: new Int32Array(2), dictionary: ['A'] })).toThrow('group codes have 2 rows');
  });

  it('uses scale 1 for a feature that is constant everywhere', () => {
    const c = fitGroupScaler([new Float64Array(20).fill(4)], ['k'], { codes: new Int32Array(20), dictionary: ['A'] });
    expect(c.global).toEqual({ count: [20], median: [4], scale: [1] });
    expect(c.groups[0]).toEqual({ id: 'A', count: [20], median: [4], scale: [1] });
  });
});

describe('applyGroupScaler', () => {
  const { columns, groups } = fixture();
  const s = fitGroupScaler(columns, ['x', 'y'], groups);

  it('scales each row with its own group: the group medians map to 0', () => {
    const [x] = applyGroupScaler(s, columns, groups);
    expect(x![4]! + x![5]!).toBeCloseTo(0, 12); // A: 5 and 6 around the median 5.5
    expect(x![0]).toBeCloseTo((1 - 5.5) / (4.5 / 1.349), 12);
    expect(x![14]).toBeCloseTo((140 - 145) / (45 / 1.349), 12);
  });

  it('matches groups by name, not by code; unknown and missing groups use the global stats; NaN stays NaN', () => {
    const scoring: GroupCodes = { codes: Int32Array.from([0, 1, 2, -1]), dictionary: ['B', 'Z', 'A'] };
    const cols = [Float64Array.from([145, 145, 5.5, NaN]), Float64Array.from([0, 3, 3, 3])];
    const [x, y] = applyGroupScaler(s, cols, scoring);
    expect(x![0]).toBe(0); // B's median
    expect(x![1]).toBeCloseTo((145 - s.global.median[0]!) / s.global.scale[0]!, 12); // Z: never seen
    expect(x![2]).toBe(0); // A's median
    expect(x![3]).toBeNaN();
    expect(y![3]).toBeCloseTo((3 - s.global.median[1]!) / s.global.scale[1]!, 12); // missing id
    expect(unseenGroups(s, scoring)).toEqual(['Z']);
    expect(unseenGroups(s, null)).toEqual([]);
    // No groups at all: everything on the global stats.
    expect(applyGroupScaler(s, cols, null)[0]![0]).toBeCloseTo((145 - s.global.median[0]!) / s.global.scale[0]!, 12);
  });

  it('lets the forest find a reading unusual for its own group first', () => {
    // Two buildings: S around 10 kW, L around 30 kW with a wide swing. S has one
    // reading at 30 — three times its level, but an ordinary value for L.
    const n = 400;
    const level = (i: number): number => (i < n ? 10 * (1 + 0.1 * Math.sin(i * 0.7)) : 30 * (1 + 0.3 * Math.sin(i * 0.7)));
    const v = Float64Array.from(range(2 * n, level));
    v[123] = 30;
    const g: GroupCodes = { codes: Int32Array.from(range(2 * n, (i) => (i < n ? 0 : 1))), dictionary: ['S', 'L'] };
    const rankOf = (cols: Float64Array[]): number => {
      const m = fitIsolationForest(cols, ['kw'], { seed: 3 });
      const scores = scoreSamples(m, cols);
      return Array.from(scores).filter((x) => x > scores[123]!).length;
    };
    const scaled = applyGroupScaler(fitGroupScaler([v], ['kw'], g), [v], g);
    expect(rankOf(scaled)).toBe(0);
    expect(rankOf([v])).toBeGreaterThan(0);
  });
});

describe('loadScaler', () => {
  const { columns, groups } = fixture();
  const s = fitGroupScaler(columns, ['x', 'y'], groups);
  const fresh = (): Record<string, unknown> => JSON.parse(JSON.stringify(scalerToJson(s))) as Record<string, unknown>;

  it('round-trips through JSON text and applies identically', () => {
    const loaded = loadScaler(JSON.stringify(scalerToJson(s)));
    expect(loaded).toEqual(s);
    expect(applyGroupScaler(loaded, columns, groups)).toEqual(applyGroupScaler(s, columns, groups));
  });

  type Scaler = { features: unknown[]; global: Record<string, unknown[]>; groups: Record<string, unknown>[]; [k: string]: unknown };
  const damage: [string, (m: Scaler) => void, string][] = [
    ['no features', (m) => (m.features = []), 'features must be a non-empty array'],
    ['duplicate feature', (m) => (m.features = ['x', 'x']), 'feature "x" appears twice'],
    ['short medians', (m) => m.global.median!.pop(), 'global.median has 1 entries, expected 2'],
    ['zero scale', (m) => (m.groups[0]!.scale = [0, 1]), 'group "A".scale[0] must be a finite number > 0, got 0'],
    ['null median', (m) => (m.groups[1]!.median = [null, 1]), 'group "B".median[0] must be a finite number, got null'],
    ['negative count', (m) => (m.global.count = [-1, 2]), 'global.count[0] must be an integer >= 0'],
    ['duplicate group', (m) => (m.groups[1]!.id = 'A'), 'group "A" appears twice'],
    ['empty group id', (m) => (m.groups[0]!.id = ''), 'groups[0].id must be a non-empty string'],
    ['unknown field', (m) => (m.mean = [1, 2]), 'the scaler has unknown field "mean"'],
    ['groups not an array', (m) => (m.groups = {} as unknown as Record<string, unknown>[]), 'groups must be an array'],
  ];
  it.each(damage)('rejects %s with a clear message', (_label, mutate, message) => {
    const m = fresh() as Scaler;
    mutate(m);
    expect(() => loadScaler(m)).toThrow(`invalid scaler: ${message}`);
  });

  it('rejects text that is not JSON, and non-objects', () => {
    expect(() => loadScaler('{nope')).toThrow('invalid scaler: not JSON');
    expect(() => loadScaler([1])).toThrow('invalid scaler: expected a JSON object');
  });
});
