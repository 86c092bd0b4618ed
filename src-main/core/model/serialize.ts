/**
 * Model ⇄ plain JSON. The on-disk form mirrors IForestModel with typed arrays
 * written as number arrays; `leafValue` is not stored but recomputed from each
 * leaf's depth and size, so a file cannot carry scores that disagree with its
 * own tree structure. JSON numbers round-trip float64 exactly, so a loaded
 * model scores bit-for-bit like the saved one.
 *
 * loadModel trusts nothing: files come from disk and may be damaged, hand
 * edited or written by a newer GreenLens. Every check that fails names what is
 * wrong and where.
 */
import { cFactor } from './path-length';
import type { ForestArrays, IForestModel, IForestParams } from './types';
import { type Fail, failWith, isRecord, parsedJson } from './json-read';
import { TRAIN } from '../../contract/shared/model';

export const MODEL_FORMAT = 'greenlens-iforest';
export const MODEL_FORMAT_VERSION = 1;

export interface SerializedForest {
  treeOffsets: number[];
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  size: number[];
}

export interface SerializedModel {
  format: typeof MODEL_FORMAT;
  formatVersion: 1;
  params: IForestParams;
  features: string[];
  subsample: number;
  threshold: number;
  trainedRows: number;
  trees: SerializedForest;
}

export function serializeModel(model: IForestModel): SerializedModel {
  const t = model.trees;
  return {
    format: MODEL_FORMAT,
    formatVersion: 1,
    params: { ...model.params },
    features: [...model.features],
    subsample: model.subsample,
    threshold: model.threshold,
    trainedRows: model.trainedRows,
    trees: {
      treeOffsets: Array.from(t.treeOffsets),
      feature: Array.from(t.feature),
      threshold: Array.from(t.threshold),
      left: Array.from(t.left),
      right: Array.from(t.right),
      size: Array.from(t.size),
    },
  };
}

/** Convenience: the JSON text of a model. */
export function modelToJson(model: IForestModel): string {
  return JSON.stringify(serializeModel(model));
}

const fail: Fail = failWith('invalid model file');

function integer(v: unknown, what: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(`${what} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${what} must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

function numberArray(v: unknown, what: string, length: number, integers: boolean): number[] {
  if (!Array.isArray(v)) fail(`${what} must be an array`);
  if (v.length !== length) fail(`${what} has ${v.length} entries, expected ${length}`);
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || (integers && !Number.isInteger(x))) {
      fail(`${what}[${i}] must be a finite ${integers ? 'integer' : 'number'}, got ${JSON.stringify(x)}`);
    }
  }
  return v as number[];
}

function readParams(v: unknown): IForestParams {
  if (!isRecord(v)) fail('params must be an object');
  const nTrees = integer(v.nTrees, 'params.nTrees', 1);
  const maxSamples = integer(v.maxSamples, 'params.maxSamples', 2);
  const seed = integer(v.seed, 'params.seed', Number.MIN_SAFE_INTEGER);
  const c = v.contamination;
  if (c !== 'auto' && !(typeof c === 'number' && c > 0 && c <= TRAIN.contamination.max)) {
    fail(`params.contamination must be "auto" or a number in (0, ${TRAIN.contamination.max}], got ${JSON.stringify(c)}`);
  }
  return { nTrees, maxSamples, contamination: c, seed };
}

function readFeatures(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0) fail('features must be a non-empty array of names');
  const seen = new Set<string>();
  for (let i = 0; i < v.length; i++) {
    const name: unknown = v[i];
    if (typeof name !== 'string' || name.length === 0) fail(`features[${i}] must be a non-empty string`);
    if (seen.has(name)) fail(`feature "${name}" appears twice`);
    seen.add(name);
  }
  return v as string[];
}

/**
 * Checks that each tree is a proper binary tree over [start, end): children
 * lie after their parent and inside the tree (so walks terminate), every
 * non-root node has exactly one parent, and sizes add up from leaves to a root
 * of `subsample` rows. Returns leafValue recomputed from depths and sizes.
 */
/** A node as failures name it; built only on failure (a string per node was most of loading a forest). */
function nodeName(tree: number, node: number): string {
  return `tree ${tree} node ${node}`;
}

function checkTrees(f: SerializedForest, nFeatures: number, subsample: number): Float64Array {
  const nodes = f.feature.length;
  const leafValue = new Float64Array(nodes);
  const depth = new Int32Array(nodes);
  const parents = new Uint8Array(nodes);
  for (let t = 0; t + 1 < f.treeOffsets.length; t++) {
    const start = f.treeOffsets[t]!;
    const end = f.treeOffsets[t + 1]!;
    if (f.size[start] !== subsample) fail(`tree ${t} root has size ${f.size[start]}, expected subsample ${subsample}`);
    for (let i = start; i < end; i++) {
      const feature = f.feature[i]!;
      const size = f.size[i]!;
      if (size < 1) fail(`${nodeName(t, i - start)} has size ${size}; sizes must be >= 1`);
      if (i > start && parents[i] !== 1) fail(`${nodeName(t, i - start)} is referenced by ${parents[i]} parents, expected exactly 1`);
      if (feature === -1) {
        if (f.left[i] !== -1 || f.right[i] !== -1) fail(`${nodeName(t, i - start)} is a leaf but has children`);
        leafValue[i] = depth[i]! + cFactor(size);
        continue;
      }
      if (feature < 0 || feature >= nFeatures)
        fail(`${nodeName(t, i - start)} splits on feature ${feature}, model has ${nFeatures} features`);
      const l = f.left[i]!;
      const r = f.right[i]!;
      for (let side = 0; side < 2; side++) {
        const child = side === 0 ? l : r;
        if (child <= i || child >= end)
          fail(`${nodeName(t, i - start)} has child index ${child - start}, outside its tree or not after its parent`);
        parents[child]! += 1;
        depth[child] = depth[i]! + 1;
      }
      if (l === r) fail(`${nodeName(t, i - start)} has the same node as left and right child`);
      if (f.size[l]! + f.size[r]! !== size)
        fail(`${nodeName(t, i - start)} has size ${size} but its children hold ${f.size[l]! + f.size[r]!}`);
    }
  }
  return leafValue;
}

function readForest(v: unknown, nTrees: number, nFeatures: number, subsample: number): ForestArrays {
  if (!isRecord(v)) fail('trees must be an object');
  if (!Array.isArray(v.feature)) fail('trees.feature must be an array');
  const nodes = v.feature.length;
  const treeOffsets = numberArray(v.treeOffsets, 'trees.treeOffsets', nTrees + 1, true);
  if (treeOffsets[0] !== 0) fail('trees.treeOffsets must start at 0');
  for (let t = 0; t < nTrees; t++) {
    if (treeOffsets[t + 1]! <= treeOffsets[t]!) fail(`trees.treeOffsets must increase; tree ${t} is empty or reversed`);
  }
  if (treeOffsets[nTrees] !== nodes) fail(`trees.treeOffsets ends at ${treeOffsets[nTrees]}, but there are ${nodes} nodes`);
  const serialized: SerializedForest = {
    treeOffsets,
    feature: numberArray(v.feature, 'trees.feature', nodes, true),
    threshold: numberArray(v.threshold, 'trees.threshold', nodes, false),
    left: numberArray(v.left, 'trees.left', nodes, true),
    right: numberArray(v.right, 'trees.right', nodes, true),
    size: numberArray(v.size, 'trees.size', nodes, true),
  };
  const leafValue = checkTrees(serialized, nFeatures, subsample);
  return {
    treeOffsets: Int32Array.from(serialized.treeOffsets),
    feature: Int32Array.from(serialized.feature),
    threshold: Float64Array.from(serialized.threshold),
    left: Int32Array.from(serialized.left),
    right: Int32Array.from(serialized.right),
    size: Int32Array.from(serialized.size),
    leafValue,
  };
}

/** Parses (if given text) and strictly validates a saved model. Throws an Error naming the problem. */
export function loadModel(json: unknown): IForestModel {
  const v = parsedJson(json, fail);
  if (!isRecord(v)) fail('expected a JSON object');
  if (v.format !== MODEL_FORMAT) fail(`format is ${JSON.stringify(v.format)}, expected "${MODEL_FORMAT}"`);
  const version = integer(v.formatVersion, 'formatVersion', 1);
  if (version > MODEL_FORMAT_VERSION) {
    throw new Error(
      `model formatVersion ${version} is newer than this GreenLens supports (${MODEL_FORMAT_VERSION}); update GreenLens to open it`,
    );
  }
  const params = readParams(v.params);
  const features = readFeatures(v.features);
  const trainedRows = integer(v.trainedRows, 'trainedRows', 2);
  const subsample = integer(v.subsample, 'subsample', 2);
  const expected = Math.min(params.maxSamples, trainedRows);
  if (subsample !== expected) fail(`subsample is ${subsample}, expected min(maxSamples, trainedRows) = ${expected}`);
  const threshold = finite(v.threshold, 'threshold');
  if (params.contamination === 'auto' && threshold !== 0.5) fail(`threshold is ${threshold}, but contamination "auto" means 0.5`);
  const trees = readForest(v.trees, params.nTrees, features.length, subsample);
  return { formatVersion: 1, params, features: [...features], subsample, threshold, trees, trainedRows };
}
