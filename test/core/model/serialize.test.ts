import { describe, expect, it } from 'vitest';
import { fitIsolationForest, scoreSamples } from '../../../src-main/core/model/isolation-forest';
import { loadModel, modelToJson, serializeModel } from '../../../src-main/core/model/serialize';
import type { SerializedModel } from '../../../src-main/core/model/serialize';
import { gaussianColumns, names } from './helpers';

describe('serialize / loadModel', () => {
  const cols = gaussianColumns(2000, 3, 31);
  const model = fitIsolationForest(cols, names(3), { seed: 8, nTrees: 25, contamination: 0.05 });
  const fresh = (): SerializedModel => JSON.parse(modelToJson(model)) as SerializedModel;

  it('round-trips to identical scores and structure', () => {
    const text = modelToJson(model);
    const head = JSON.parse(text) as { format: string; formatVersion: number };
    expect(head.format).toBe('greenlens-iforest');
    expect(head.formatVersion).toBe(1);
    const loaded = loadModel(text);
    expect(loaded).toEqual(model);
    expect(scoreSamples(loaded, cols)).toEqual(scoreSamples(model, cols));
    // An already-parsed object works too.
    expect(loadModel(serializeModel(model)).threshold).toBe(model.threshold);
  });

  const damage: [string, (m: SerializedModel) => void, string][] = [
    ['wrong format', (m) => ((m as { format: string }).format = 'other'), 'format is "other"'],
    ['missing features', (m) => (m.features = []), 'features must be a non-empty array'],
    ['duplicate feature', (m) => (m.features = ['f0', 'f0', 'f2']), 'feature "f0" appears twice'],
    ['short threshold array', (m) => m.trees.threshold.pop(), 'trees.threshold has'],
    ['non-finite threshold', (m) => (m.trees.threshold[0] = null as unknown as number), 'trees.threshold[0] must be a finite number'],
    ['child out of range', (m) => (m.trees.left[0] = 99999), 'tree 0 node 0 has child index'],
    ['child before parent', (m) => (m.trees.right[1] = 0), 'not after its parent'],
    ['feature out of range', (m) => (m.trees.feature[0] = 3), 'splits on feature 3, model has 3 features'],
    ['sizes inconsistent', (m) => (m.trees.size[1]! += 1), 'size'],
    ['bad contamination', (m) => (m.params.contamination = 0.9), 'params.contamination'],
    ['offsets not matching', (m) => (m.trees.treeOffsets[25]! -= 1), 'trees.treeOffsets ends at'],
    ['subsample inconsistent', (m) => (m.subsample = 100), 'subsample is 100'],
    ['threshold NaN', (m) => (m.threshold = Number.NaN), 'threshold must be a finite number'],
  ];
  it.each(damage)('rejects %s with a clear message', (_label, mutate, message) => {
    const m = fresh();
    mutate(m);
    expect(() => loadModel(m)).toThrow(message);
  });

  it('rejects a node used as both children of one parent', () => {
    const m = fresh();
    m.trees.right[0] = m.trees.left[0]!;
    expect(() => loadModel(m)).toThrow('same node as left and right child');
  });

  it('refuses a newer formatVersion and says so', () => {
    const m = fresh() as unknown as { formatVersion: number };
    m.formatVersion = 2;
    expect(() => loadModel(m)).toThrow('formatVersion 2 is newer than this GreenLens supports (1)');
  });

  it('rejects text that is not JSON, and non-objects', () => {
    expect(() => loadModel('{oops')).toThrow('invalid model file: not JSON');
    expect(() => loadModel(42)).toThrow('expected a JSON object');
  });
});
