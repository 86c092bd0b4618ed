import { describe, expect, it } from 'vitest';
import { buildingRows, isBreakdownMetric, memberRows, typeRecalls } from '../../src-renderer/src/components/contextual-metrics';

/** Metrics as train-contextual records them (backend/model/contextual-metrics.ts), including ids with underscores. */
const METRICS = {
  f1: 0.78,
  recall: 0.9,
  anomalyRate: 0.031,
  member_residual_weight: 1,
  member_residual_flagged: 0.02,
  member_residual_rocAuc: 0.97,
  member_residual_recall: 0.81,
  member_forest_weight: 0.5,
  member_forest_flagged: 0.001,
  member_forest_rocAuc: null,
  recall_spike: 1,
  recall_hvac_fault: 0.95,
  building_B01_anomalyRate: 0.03,
  building_B01_f1: 0.8,
  building_B01_fleet: 0,
  building_site_2_anomalyRate: 0.05,
  building_site_2_f1: null,
  building_site_2_fleet: 1,
  building_B10_anomalyRate: 0.01,
};

describe('contextual metrics read back as tables', () => {
  it('members, with a missing figure as null', () => {
    expect(memberRows(METRICS)).toEqual([
      { name: 'residual', weight: 1, flagged: 0.02, rocAuc: 0.97, recall: 0.81 },
      { name: 'forest', weight: 0.5, flagged: 0.001, rocAuc: null, recall: null },
    ]);
  });

  it('recall per fault type, sorted by type; the overall recall is not a type', () => {
    expect(typeRecalls(METRICS)).toEqual([
      { type: 'hvac_fault', recall: 0.95 },
      { type: 'spike', recall: 1 },
    ]);
  });

  it('buildings in natural id order, ids with underscores intact, fleet marker only where recorded', () => {
    expect(buildingRows(METRICS)).toEqual([
      { id: 'B01', anomalyRate: 0.03, f1: 0.8, fleet: false },
      { id: 'B10', anomalyRate: 0.01, f1: null, fleet: null },
      { id: 'site_2', anomalyRate: 0.05, f1: null, fleet: true },
    ]);
  });

  it('tells the breakdown figures from the plain ones', () => {
    const plain = Object.keys(METRICS).filter((k) => !isBreakdownMetric(k));
    expect(plain).toEqual(['f1', 'recall', 'anomalyRate']);
  });
});
