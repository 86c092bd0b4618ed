import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  forestFlagExplanations,
  forestFlagExplanationsBetween,
  TOP_CONTRIBUTIONS,
  topShares,
} from '../../src-main/backend/report/explanation-log';
import { featureShares } from '../../src-main/core/model/explain';
import { fitIsolationForest } from '../../src-main/core/model/isolation-forest';
import { gaussianColumns, names } from '../core/model/helpers';

/** The forest's flags are explained from blocks of the forest's view, exactly as from a view of each flagged row. */
describe('forestFlagExplanations', () => {
  const features = names(3);
  const model = fitIsolationForest(gaussianColumns(2000, 3, 5), features, { seed: 2, nTrees: 25 });
  const raw = gaussianColumns(10_000, 3, 6);
  // A view that changes the values row by row, as per-id scaling does: the walk must see these, not the raw ones.
  const view = (s: number, e: number): Float64Array[] => raw.map((c, f) => c.slice(s, e).map((v, k) => v * (1 + f) + ((s + k) % 5)));
  const flags = new Uint8Array(10_000);
  // Flags in the first block, on both sides of the block edge at 4096, and the very last row.
  for (const i of [0, 17, 4095, 4096, 4097, 8191, 9999]) flags[i] = 1;
  const times = Float64Array.from({ length: 10_000 }, (_, i) => 1_700_000_000_000 + i * 3_600_000);

  it('gives per flagged row its time and top features, as a walk of that row alone', async () => {
    const got = forestFlagExplanations(model, flags, view, times, 42);
    const expected = [...flags.keys()]
      .filter((i) => flags[i])
      .map((i) => {
        const shares = featureShares(
          model,
          view(i, i + 1).map((c) => c[0]!),
        );
        const top = features
          .map((f, j): [string, number] => [f, Number(shares[j]!.toFixed(4))])
          .sort((a, b) => b[1] - a[1])
          .slice(0, TOP_CONTRIBUTIONS);
        return [times[i]!, top];
      });
    expect(got).toEqual(expected);
    expect(got).toHaveLength(7);
    // Worked out block by block between other work: the same list.
    expect(await forestFlagExplanationsBetween(model, flags, view, times, 42)).toEqual(expected);
    // Without row times, the request's time.
    expect(forestFlagExplanations(model, flags, view, null, 42).map((f) => f[0])).toEqual(Array(7).fill(42));
  });
});

describe('topShares', () => {
  const reference = (features: string[], shares: Float64Array, k: number): Array<[string, number]> =>
    features
      .map((f, j): [string, number] => [f, Number(shares[j]!.toFixed(4))])
      .sort((a, b) => b[1] - a[1])
      .slice(0, k);

  it('is the stable sort of the rounded shares, cut to k: ties after rounding keep feature order', () => {
    const features = ['a', 'b', 'c', 'd', 'e'];
    // 0.12344 and 0.12341 both round to 0.1234: b then c, as the sort gives.
    const shares = Float64Array.from([0.1, 0.12344, 0.12341, 0.5, 0.15375]);
    expect(topShares(features, shares, new Float64Array(5), 3)).toEqual([
      ['d', 0.5],
      ['e', 0.1537], // 0.15375 is stored just below: toFixed rounds it down
      ['b', 0.1234],
    ]);
    expect(topShares(features, shares, new Float64Array(5), 4)).toEqual(reference(features, shares, 4));
    expect(topShares(['x', 'y'], Float64Array.from([0, 0]), new Float64Array(2), 3)).toEqual([
      ['x', 0],
      ['y', 0],
    ]);
  });

  it('matches the sort for any shares and any number of features (more than 32 too), including many ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(0, 0.25, 0.12344, 0.12341, 1 / 3), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 5 }),
        (values, k) => {
          const features = values.map((_, j) => `f${j}`);
          const shares = Float64Array.from(values);
          expect(topShares(features, shares, new Float64Array(values.length), k)).toEqual(reference(features, shares, k));
        },
      ),
      { numRuns: 300 },
    );
  });
});
