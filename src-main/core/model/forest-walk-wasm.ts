/**
 * score-kernel.ts's walk of a compiled forest (compiled-forest.ts) in
 * WebAssembly: the same walk, step for step, at about half the CPU time.
 * A JavaScript typed-array read checks its index and a tree step makes three
 * of them (feature, threshold, value); here a node is one 16-byte record
 * (threshold, then the feature's byte offset into the block) and the block is
 * column-major, so a lane's value is one load at a constant offset from one
 * base register and eight rows still advance in lock-step (one module per
 * depth, its levels written out). Leaf values are summed tree by tree in the
 * same order as score-kernel.ts, and the score is exp(sum · k) computed the
 * same way, so the scores are the same to the last bit
 * (test/core/model/forest-walk-wasm.test.ts).
 *
 * Not available (no WebAssembly, a forest too deep to compile): the functions
 * return false, and the caller uses score-kernel.ts.
 */
import { compileForest } from './compiled-forest';
import { cFactor } from './path-length';
import type { ForestArrays } from './types';
import { F64, I32, op, wasmModule, type ValueType, type WasmFunction } from './wasm-binary';

/** Rows advanced in lock-step (as score-kernel.ts: eight overlap their load chains best). */
const LANES = 8;
/** Rows per block: a multiple of LANES; the block (features × BLOCK × 8 bytes) stays in L1/L2 while every tree walks it. */
const BLOCK = 1024;

// walk's parameters and locals, by index.
const NODES = 0; // byte address of the current tree's first node record
const LEAVES = 1; // byte address of the current tree's leaves, less (2^depth − 1) × 8: a walk ends at node index 2^depth − 1 + leaf
const NODE_STRIDE = 2;
const LEAF_STRIDE = 3;
const TREES = 4;
const BLOCK_AT = 5;
const ROWS = 6; // a multiple of LANES
const SUM_AT = 7;
const R = 8;
const BASE = 9;
const AT = 10;
const ROOT_FEATURE = 11;
const N0 = 12; // N0 … N0 + LANES − 1: each lane's node index
const ROOT_THRESHOLD = N0 + LANES;

type Code = (number | readonly number[])[];

/** One lane's step down its tree: n = 2n + 1 + (x[feature(n)] > threshold(n)), as score-kernel.ts's bit(…). */
function step(lane: number): Code {
  const n = N0 + lane;
  return [
    op.get(n),
    op.i32Const(1),
    op.i32Shl,
    op.i32Const(1),
    op.i32Add,
    // The row's value: its column's byte offset (the node record's second field) from this lane's row.
    op.get(BASE),
    op.get(NODES),
    op.get(n),
    op.i32Const(4),
    op.i32Shl,
    op.i32Add,
    op.tee(AT),
    op.i32Load(8),
    op.i32Add,
    op.f64Load(8 * lane),
    op.get(AT),
    op.f64Load(0),
    op.f64Gt,
    op.i32Add,
    op.set(n),
  ];
}

/** The first step, from the root (node 0, the same for every lane: its feature and threshold are read once per tree). */
function rootStep(lane: number): Code {
  return [
    op.i32Const(1),
    op.get(BASE),
    op.get(ROOT_FEATURE),
    op.i32Add,
    op.f64Load(8 * lane),
    op.get(ROOT_THRESHOLD),
    op.f64Gt,
    op.i32Add,
    op.set(N0 + lane),
  ];
}

const lanes = Array.from({ length: LANES }, (_, j) => j);

/**
 * walk(nodes, leaves, nodeStride, leafStride, trees, block, rows, sum) for forests of this depth (its levels
 * written out, no loop): for each tree in order, every row's walk of `depth` steps, its leaf value added to
 * sum[row]. The block is column-major, BLOCK rows per column.
 */
function walkFunction(depth: number): WasmFunction {
  const levels: Code = [];
  for (let level = 1; level < depth; level++) levels.push(...lanes.flatMap(step));
  return {
    name: 'walk',
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, ...lanes.map((): ValueType => I32), F64],
    code: [
      op.block,
      op.get(TREES),
      [0x45], // i32.eqz
      op.brIf(0),
      op.loop, // each tree
      op.get(NODES),
      op.i32Load(8),
      op.set(ROOT_FEATURE),
      op.get(NODES),
      op.f64Load(0),
      op.set(ROOT_THRESHOLD),
      op.i32Const(0),
      op.set(R),
      op.block,
      op.loop, // each LANES rows
      op.get(R),
      op.get(ROWS),
      op.i32GeU,
      op.brIf(1),
      op.get(BLOCK_AT),
      op.get(R),
      op.i32Const(3),
      op.i32Shl,
      op.i32Add,
      op.set(BASE),
      ...lanes.flatMap(rootStep),
      ...levels,
      op.get(SUM_AT),
      op.get(R),
      op.i32Const(3),
      op.i32Shl,
      op.i32Add,
      op.set(AT),
      // sum[r + j] += leaf[n_j]
      ...lanes.flatMap((j) => [
        op.get(AT),
        op.get(AT),
        op.f64Load(8 * j),
        op.get(LEAVES),
        op.get(N0 + j),
        op.i32Const(3),
        op.i32Shl,
        op.i32Add,
        op.f64Load(0),
        op.f64Add,
        op.f64Store(8 * j),
      ]),
      op.get(R),
      op.i32Const(LANES),
      op.i32Add,
      op.set(R),
      op.br(0),
      op.end,
      op.end,
      op.get(NODES),
      op.get(NODE_STRIDE),
      op.i32Add,
      op.set(NODES),
      op.get(LEAVES),
      op.get(LEAF_STRIDE),
      op.i32Add,
      op.set(LEAVES),
      op.get(TREES),
      op.i32Const(1),
      op.i32Sub,
      op.tee(TREES),
      op.brIf(0),
      op.end,
      op.end,
    ],
  };
}

/** The part of the WebAssembly API used here (the project's type libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Memory: new (size: { initial: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The walk compiled once per depth and thread (null: WebAssembly is unavailable). */
const compiled = new Map<number, object | null>();

function walkModule(depth: number): object | null {
  let module = compiled.get(depth);
  if (module === undefined) {
    try {
      module = wasm ? new wasm.Module(wasmModule([walkFunction(depth)])) : null;
    } catch {
      module = null;
    }
    compiled.set(depth, module);
  }
  return module;
}

type Walk = (...args: number[]) => void;

/** A forest in its own WebAssembly memory: node records, leaves, then one block of rows and their sums. */
interface WasmForest {
  walk: Walk;
  nTrees: number;
  features: number;
  memory: Float64Array;
  nodesAt: number;
  leavesAt: number;
  nodeStride: number;
  leafStride: number;
  blockAt: number;
  sumAt: number;
}

const forests = new WeakMap<ForestArrays, WasmForest | null>();

function wasmForest(trees: ForestArrays, features: number): WasmForest | null {
  let f = forests.get(trees);
  if (f === undefined) {
    f = build(trees, features);
    forests.set(trees, f);
  }
  return f && f.features === features ? f : null;
}

function build(trees: ForestArrays, features: number): WasmForest | null {
  const c = compileForest(trees);
  if (!wasm || !c || c.depth < 1) return null;
  const module = walkModule(c.depth);
  if (!module) return null;
  const internal = (1 << c.depth) - 1;
  const leaves = 1 << c.depth;
  const nodeStride = internal * 16;
  const leafStride = leaves * 8;
  const nodesAt = 0;
  const leavesAt = nodesAt + c.nTrees * nodeStride;
  const blockAt = leavesAt + c.nTrees * leafStride;
  const sumAt = blockAt + features * BLOCK * 8;
  const bytes = sumAt + BLOCK * 8;
  try {
    const memory = new wasm.Memory({ initial: Math.ceil(bytes / 65_536) });
    const instance = new wasm.Instance(module, { env: { memory } });
    const f64 = new Float64Array(memory.buffer);
    const i32 = new Int32Array(memory.buffer);
    for (let j = 0; j < c.nTrees * internal; j++) {
      f64[(nodesAt >> 3) + 2 * j] = c.threshold[j]!;
      i32[(nodesAt >> 2) + 4 * j + 2] = c.feature[j]! * BLOCK * 8;
    }
    f64.set(c.leaf, leavesAt >> 3);
    return {
      walk: instance.exports.walk as Walk,
      nTrees: c.nTrees,
      features,
      memory: f64,
      nodesAt,
      leavesAt: leavesAt - internal * 8,
      nodeStride,
      leafStride,
      blockAt,
      sumAt,
    };
  } catch {
    return null;
  }
}

/**
 * Writes the feature values of rows [start, start + n) into the walk's block: feature c of row start + r at
 * block[at + c * stride + r]. A value must not be NaN (score-kernel.ts sends NaN right: write +Infinity).
 */
export type FillBlock = (start: number, n: number, block: Float64Array, at: number, stride: number) => void;

/**
 * The anomaly scores of rows [from, to) into out[from, to), as score-kernel.ts's scoreRange gives them for the
 * rows' feature values, which `fill` writes a block of rows at a time (so a caller that derives them need not
 * store them as columns first); false (nothing written) when the walk is not available for this forest.
 */
export function scoreRowsWasm(
  trees: ForestArrays,
  subsample: number,
  features: number,
  from: number,
  to: number,
  fill: FillBlock,
  out: Float64Array,
): boolean {
  const f = wasmForest(trees, features);
  if (!f) return false;
  const { memory, blockAt, sumAt } = f;
  const k = -Math.LN2 / (f.nTrees * cFactor(subsample));
  const sum = sumAt >> 3;
  for (let start = from; start < to; start += BLOCK) {
    const n = Math.min(BLOCK, to - start);
    // Whole lane groups: the rows past n walk whatever the block holds there, and their sums are not read.
    const rows = Math.ceil(n / LANES) * LANES;
    fill(start, n, memory, blockAt >> 3, BLOCK);
    memory.fill(0, sum, sum + rows);
    f.walk(f.nodesAt, f.leavesAt, f.nodeStride, f.leafStride, f.nTrees, blockAt, rows, sumAt);
    for (let r = 0; r < n; r++) out[start + r] = Math.exp(memory[sum + r]! * k);
  }
  return true;
}

/**
 * score-kernel.ts's scoreRange (the scores of rows [from, to) into out[from, to)), bit for bit, on the
 * WebAssembly walk; false (nothing written) when that walk is not available for this forest.
 */
export function scoreRangeWasm(
  trees: ForestArrays,
  subsample: number,
  columns: readonly Float64Array[],
  from: number,
  to: number,
  out: Float64Array,
): boolean {
  const transpose: FillBlock = (start, n, block, at, stride) => {
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      const o = at + c * stride - start;
      // NaN goes right at every split, as in score-kernel.ts.
      for (let i = start; i < start + n; i++) {
        const v = col[i]!;
        block[o + i] = v === v ? v : Infinity;
      }
    }
  };
  return scoreRowsWasm(trees, subsample, columns.length, from, to, transpose, out);
}
