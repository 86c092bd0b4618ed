import { describe, expect, it } from 'vitest';
import { compareRecords, metricDirection, type VersionRecord } from '../../../src-main/core/registry';

describe('metric direction', () => {
  it('knows quality metrics go up and durations go down', () => {
    expect(metricDirection('rocAuc')).toBe('higher');
    expect(metricDirection('ROC-AUC')).toBe('higher');
    expect(metricDirection('f1')).toBe('higher');
    expect(metricDirection('latencyP95')).toBe('lower');
    expect(metricDirection('trainingMs')).toBe('lower');
    expect(metricDirection('scoring_seconds')).toBe('lower');
  });

  it('does not guess for unknown names', () => {
    expect(metricDirection('anomalyRate')).toBeNull();
    expect(metricDirection('scoreP95')).toBeNull();
  });
});

describe('compareRecords: what each figure was measured on', () => {
  const record = (version: string, sha: string, over: { f1: number; rocAuc: number; seed?: number }): VersionRecord => ({
    model: 'ahu',
    version,
    createdAt: '2026-11-01T00:00:00.000Z',
    params: { trees: 100, holdout: 0.2, seed: over.seed ?? 42 },
    metrics: { f1: over.f1, rocAuc: over.rocAuc, evaluatedOn: 1, holdoutRows: version === '1.0.0' ? 403 : 520, trainingMs: 400 },
    trainingData: { rows: 2016, columns: ['kw'], sha256: sha, source: `data ${sha}` },
    tags: [],
    description: '',
    artifact: { file: 'model.json', sha256: 'x', bytes: 1 },
    reference: { file: 'reference.json', sha256: 'y', bytes: 1 },
  });

  it('labels each side and never calls F1 or AUC better when the holdouts differ', () => {
    const c = compareRecords(record('1.0.0', 'aaaa1111', { f1: 0.5, rocAuc: 0.9 }), record('1.0.1', 'bbbb2222', { f1: 0.6, rocAuc: 0.8 }));
    expect(c.evaluation).toEqual({
      a: { on: 'holdout', rows: 403, dataSha256: 'aaaa1111', source: 'data aaaa1111' },
      b: { on: 'holdout', rows: 520, dataSha256: 'bbbb2222', source: 'data bbbb2222' },
      same: false,
    });
    const f1 = c.metrics.find((m) => m.name === 'f1')!;
    expect(f1).toMatchObject({ delta: expect.closeTo(0.1, 12) as number, better: null, caveat: 'measured on different holdouts' });
    expect(c.metrics.find((m) => m.name === 'rocAuc')).toMatchObject({ better: null, caveat: 'measured on different holdouts' });
    // Training time does not depend on the holdout: still judged.
    expect(c.metrics.find((m) => m.name === 'trainingMs')!.caveat).toBeUndefined();
  });

  it('judges better and worse on the same holdout (same data, share and seed)', () => {
    const c = compareRecords(record('1.0.0', 'same', { f1: 0.5, rocAuc: 0.9 }), record('1.0.1', 'same', { f1: 0.6, rocAuc: 0.8 }));
    expect(c.evaluation.same).toBe(true);
    expect(c.metrics.find((m) => m.name === 'f1')).toMatchObject({ better: true });
    expect(c.metrics.find((m) => m.name === 'rocAuc')).toMatchObject({ better: false });
    expect(c.metrics.find((m) => m.name === 'f1')!.caveat).toBeUndefined();
    // Another split seed is another holdout, even on the same data.
    const seeded = compareRecords(
      record('1.0.0', 'same', { f1: 0.5, rocAuc: 0.9 }),
      record('1.0.1', 'same', { f1: 0.6, rocAuc: 0.8, seed: 7 }),
    );
    expect(seeded.evaluation.same).toBe(false);
  });
});
