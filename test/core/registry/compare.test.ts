import { describe, expect, it } from 'vitest';
import { metricDirection } from '../../../src-main/core/registry';

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
