import { describe, expect, it } from 'vitest';
import { compileForest } from '../../../src-main/core/model/compiled-forest';
import { scoreRangeWasm } from '../../../src-main/core/model/forest-walk-wasm';
import { fitIsolationForest } from '../../../src-main/core/model/isolation-forest';
import { scoreRange, scoreRangeJs } from '../../../src-main/core/model/score-kernel';
import { F64, I32, op, sleb, uleb, wasmModule } from '../../../src-main/core/model/wasm-binary';
import { gaussianColumns, names, referenceScores } from './helpers';

/** The index of the first score that is not the same float64 (Object.is: −0, NaN), or −1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('scoreRangeWasm', () => {
  it('gives score-kernel.ts scores bit for bit, NaN going right, on every range and forest size', () => {
    const train = gaussianColumns(6000, 5, 11);
    const test = gaussianColumns(2600, 5, 12);
    test[0]![5] = NaN;
    test[3]![1030] = NaN;
    test[2]![7] = Infinity;
    test[4]![8] = -Infinity;
    test[1]![9] = 1e300;
    for (const options of [
      { seed: 1, nTrees: 50, maxSamples: 256 },
      { seed: 2, nTrees: 7, maxSamples: 16 },
      { seed: 4, nTrees: 9, maxSamples: 2 },
      { seed: 5, nTrees: 4, maxSamples: 3 },
      { seed: 3, nTrees: 3, maxSamples: 4096 },
    ]) {
      const model = fitIsolationForest(train, names(5), options);
      expect(compileForest(model.trees)!.depth).toBe(Math.ceil(Math.log2(options.maxSamples)));
      // Values exactly at split thresholds (x <= threshold goes left): rows 100… take one node's threshold each.
      const { feature, threshold } = model.trees;
      for (let node = 0, row = 100; node < feature.length && row < 400; node++)
        if (feature[node]! >= 0) test[feature[node]!]![row++] = threshold[node]!;
      const expected = new Float64Array(test[0]!.length);
      scoreRangeJs(model.trees, model.subsample, test, 0, expected.length, expected);
      // Blocks of 1,024 rows in lanes of 8: ranges that end inside a lane, a block, or span blocks.
      for (const [from, to] of [
        [0, 2600],
        [3, 1029],
        [1000, 1001],
        [17, 17],
        [2047, 2600],
      ] as const) {
        const out = new Float64Array(expected.length).fill(-1);
        expect(scoreRangeWasm(model.trees, model.subsample, test, from, to, out)).toBe(true);
        const want = expected.map((v, i) => (i >= from && i < to ? v : -1));
        expect(firstDifference(out, want)).toBe(-1);
      }
      // And the walk is the forest's: a naive recursive walk agrees.
      const slow = referenceScores(model, test);
      const fast = new Float64Array(slow.length);
      scoreRangeWasm(model.trees, model.subsample, test, 0, fast.length, fast);
      for (let i = 0; i < fast.length; i++)
        if (!Number.isNaN(test[0]![i]) && !Number.isNaN(test[3]![i])) expect(fast[i]).toBeCloseTo(slow[i]!, 12);
    }
  });

  it('declines forests it cannot compile (too deep, or only root leaves)', () => {
    const train = gaussianColumns(9000, 3, 4);
    const test = gaussianColumns(100, 3, 5);
    const deep = fitIsolationForest(train, names(3), { seed: 1, nTrees: 5, maxSamples: 9000 });
    expect(compileForest(deep.trees)).toBeNull();
    const flat = [new Float64Array(50).fill(1), new Float64Array(50).fill(2), new Float64Array(50).fill(3)];
    const leafOnly = fitIsolationForest(flat, names(3), { nTrees: 3 });
    expect(compileForest(leafOnly.trees)!.depth).toBe(0);
    for (const model of [deep, leafOnly]) {
      const out = new Float64Array(100).fill(-1);
      expect(scoreRangeWasm(model.trees, model.subsample, test, 0, 100, out)).toBe(false);
      expect(out.every((v) => v === -1)).toBe(true);
    }
  });
});

describe('scoreRange', () => {
  it('scores on the WebAssembly walk where it is available and on the JavaScript walk where not, the same bits either way', () => {
    const train = gaussianColumns(9000, 3, 6);
    const test = gaussianColumns(1500, 3, 7);
    const usual = fitIsolationForest(train, names(3), { seed: 8, nTrees: 40 });
    const deep = fitIsolationForest(train, names(3), { seed: 9, nTrees: 4, maxSamples: 9000 });
    for (const [model, onWasm] of [
      [usual, true],
      [deep, false],
    ] as const) {
      expect(scoreRangeWasm(model.trees, model.subsample, test, 0, 0, new Float64Array(0))).toBe(onWasm);
      const js = new Float64Array(1500);
      scoreRangeJs(model.trees, model.subsample, test, 0, 1500, js);
      const got = new Float64Array(1500);
      scoreRange(model.trees, model.subsample, test, 0, 1500, got);
      expect(firstDifference(got, js)).toBe(-1);
    }
  });
});

describe('wasm-binary', () => {
  it('encodes LEB128 as the spec does', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(0)).toEqual([0]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(2 ** 31 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x07]);
    expect(() => uleb(-1)).toThrow('uleb: -1');
    expect(() => sleb(2 ** 31)).toThrow('sleb: 2147483648');
  });

  it('builds a module that runs: memory[at] = memory[at + 8] + memory[at + 16], over its imported memory', () => {
    const bytes = wasmModule([
      {
        name: 'add',
        params: [I32],
        locals: [F64],
        code: [op.get(0), op.get(0), op.f64Load(8), op.get(0), op.f64Load(16), op.f64Add, op.tee(1), op.f64Store(0)],
      },
    ]);
    const api = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
    expect(api.validate(bytes)).toBe(true);
    const w = globalThis as unknown as {
      WebAssembly: {
        Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
        Instance: new (m: object, i: object) => { exports: { add(at: number): void } };
        Module: new (b: Uint8Array) => object;
      };
    };
    const memory = new w.WebAssembly.Memory({ initial: 1 });
    const f64 = new Float64Array(memory.buffer);
    f64.set([0, 0.1, 0.2], 2);
    new w.WebAssembly.Instance(new w.WebAssembly.Module(bytes), { env: { memory } }).exports.add(16);
    expect(f64[2]).toBe(0.1 + 0.2);
  });
});
