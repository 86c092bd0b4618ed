import { createRng } from '../../../src-main/core/data/rng';
import type { IForestModel } from '../../../src-main/core/model/types';
import { cFactor } from '../../../src-main/core/model/path-length';

/** n rows of d independent standard normals, column-major. */
export function gaussianColumns(n: number, d: number, seed: number): Float64Array[] {
  const rng = createRng(seed);
  const normal = (): number => {
    // Box-Muller; 1 - u keeps log away from 0.
    const u = 1 - rng.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  };
  return Array.from({ length: d }, () => Float64Array.from({ length: n }, normal));
}

export function names(d: number): string[] {
  return Array.from({ length: d }, (_, i) => `f${i}`);
}

/**
 * Deliberately naive scorer: recursive walk, leaf value recomputed from depth
 * and stored size, so it checks the optimised kernel and the stored leafValue.
 */
export function referenceScores(model: IForestModel, columns: Float64Array[]): Float64Array {
  const t = model.trees;
  const nTrees = t.treeOffsets.length - 1;
  const out = new Float64Array(columns[0]!.length);
  for (let i = 0; i < out.length; i++) {
    let total = 0;
    for (let k = 0; k < nTrees; k++) {
      const walk = (node: number, depth: number): number => {
        const f = t.feature[node]!;
        if (f < 0) return depth + cFactor(t.size[node]!);
        return walk(columns[f]![i]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!, depth + 1);
      };
      total += walk(t.treeOffsets[k]!, 0);
    }
    out[i] = 2 ** (-(total / nTrees) / cFactor(model.subsample));
  }
  return out;
}

export interface Fixture {
  name: string;
  features: string[];
  columns: number[][];
  labels: number[];
  seeds: number[];
  sklearnScores: number[][];
  sklearnAuc: number[];
  sklearnMeanAuc: number;
}
