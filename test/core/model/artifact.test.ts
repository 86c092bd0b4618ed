import { describe, expect, it } from 'vitest';
import { applyPreprocess, loadModelArtifact, modelArtifactToJson, type ModelArtifact } from '../../../src-main/core/model/artifact';
import { fitIsolationForest, scoreSamples } from '../../../src-main/core/model/isolation-forest';
import { applyGroupScaler, fitGroupScaler, type GroupCodes } from '../../../src-main/core/model/preprocess';
import { modelToJson } from '../../../src-main/core/model/serialize';
import { gaussianColumns, names } from './helpers';

describe('model artifact (forest + preprocessing)', () => {
  const raw = gaussianColumns(600, 2, 5).map((c, f) => c.map((v, i) => v * (1 + f) + (i % 3) * 50));
  const groups: GroupCodes = { codes: Int32Array.from({ length: 600 }, (_, i) => i % 3), dictionary: ['B01', 'B02', 'B03'] };
  const scaler = fitGroupScaler(raw, names(2), groups);
  const scaled = applyGroupScaler(scaler, raw, groups);
  const forest = fitIsolationForest(scaled, names(2), { seed: 4, nTrees: 20, contamination: 0.02 });
  const perId: ModelArtifact = { preprocess: { kind: 'per-id', idColumn: 'building_id', scaler }, forest };
  type Json = Record<string, unknown> & { preprocess: Record<string, unknown>; forest: Record<string, unknown> };
  const fresh = (): Json => JSON.parse(modelArtifactToJson(perId)) as Json;

  it('round-trips a per-id artifact: same scaler, same forest, same scores on raw data', () => {
    const text = modelArtifactToJson(perId);
    expect(JSON.parse(text)).toMatchObject({
      format: 'greenlens-model',
      formatVersion: 1,
      preprocess: { kind: 'per-id', idColumn: 'building_id' },
      forest: { format: 'greenlens-iforest' },
    });
    const loaded = loadModelArtifact(text);
    expect(loaded).toEqual(perId);
    const again = scoreSamples(loaded.forest, applyPreprocess(loaded.preprocess, raw, groups));
    expect(again).toEqual(scoreSamples(forest, scaled));
  });

  it("round-trips kind 'none', and applyPreprocess then passes columns through", () => {
    const none = loadModelArtifact(modelArtifactToJson({ preprocess: { kind: 'none' }, forest }));
    expect(none.preprocess).toEqual({ kind: 'none' });
    expect(applyPreprocess(none.preprocess, raw, null)).toBe(raw);
  });

  it("loads a bare forest file (written before preprocessing existed) as kind 'none'", () => {
    const old = loadModelArtifact(modelToJson(forest));
    expect(old).toEqual({ preprocess: { kind: 'none' }, forest });
  });

  const damage: [string, (m: Json) => void, string][] = [
    ['an unknown format', (m) => (m.format = 'pickle'), 'format is "pickle", expected "greenlens-model" (or "greenlens-iforest")'],
    ['a bad formatVersion', (m) => (m.formatVersion = '1'), 'formatVersion must be an integer >= 1, got "1"'],
    ['an unknown field', (m) => (m.extra = 1), 'the model file has unknown field "extra"'],
    ['no preprocess', (m) => delete (m as Record<string, unknown>).preprocess, 'preprocess must be an object'],
    ['an unknown preprocess kind', (m) => (m.preprocess.kind = 'minmax'), 'preprocess.kind "minmax" is not known to this GreenLens'],
    ['a missing idColumn', (m) => delete m.preprocess.idColumn, 'preprocess.idColumn must be a non-empty string'],
    ['an idColumn that is a feature', (m) => (m.preprocess.idColumn = 'f0'), 'preprocess.idColumn "f0" is also a feature'],
    [
      'a damaged scaler',
      (m) => ((m.preprocess.scaler as { global: { scale: number[] } }).global.scale[0] = -1),
      'preprocess.scaler: invalid scaler: global.scale[0] must be a finite number > 0',
    ],
    [
      "scaler features not the forest's",
      (m) => ((m.preprocess.scaler as { features: string[] }).features = ['f1', 'f0']),
      "the scaler's features (f1, f0) are not the forest's (f0, f1)",
    ],
    ['extra fields on kind none', (m) => (m.preprocess = { kind: 'none', idColumn: 'x' }), 'preprocess has unknown field "idColumn"'],
    ['a damaged forest', (m) => (m.forest.threshold = null), 'threshold must be a finite number'],
    ['no forest', (m) => delete (m as Record<string, unknown>).forest, 'forest must be an object'],
  ];
  it.each(damage)('rejects %s with a clear message', (_label, mutate, message) => {
    const m = fresh();
    mutate(m);
    expect(() => loadModelArtifact(m)).toThrow(message);
  });

  it('refuses a newer formatVersion and text that is not JSON', () => {
    const m = fresh();
    m.formatVersion = 2;
    expect(() => loadModelArtifact(m)).toThrow('formatVersion 2 is newer than this GreenLens supports (1)');
    expect(() => loadModelArtifact('{')).toThrow('invalid model file: not JSON');
  });
});
