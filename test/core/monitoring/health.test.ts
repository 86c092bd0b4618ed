import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src-main/contract/settings';
import { assessHealth, type DriftInput, type HealthInput } from '../../../src-main/core/monitoring/health';
import type { LatencyStats, PerformanceSummary, VersionPerformance } from '../../../src-main/core/monitoring/performance';

const thresholds = DEFAULT_SETTINGS.thresholds; // latency p95 250 ms, anomaly rate 0.1, PSI 0.1
const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 15);

function lat(p95Ms: number): LatencyStats {
  return { requests: 100, meanMs: p95Ms / 2, p50Ms: p95Ms / 2, p95Ms, p99Ms: p95Ms * 1.2, maxMs: p95Ms * 1.5 };
}

function version(v: string, p95Ms: number): VersionPerformance {
  return {
    model: 'energy-anomaly',
    version: v,
    requests: 100,
    predictions: 1000,
    anomalies: 10,
    anomalyRate: 0.01,
    latency: lat(p95Ms),
    readingLatency: null,
    firstMs: NOW - 14 * DAY,
    lastMs: NOW,
  };
}

function perf(over: Partial<PerformanceSummary> = {}): PerformanceSummary {
  return {
    predictions: 1000,
    requests: 100,
    anomalies: 20,
    anomalyRate: 0.02,
    latency: lat(12),
    readingLatency: null,
    online: { requests: 100, readings: 1000 },
    batch: { requests: 0, readings: 0 },
    throughputPerSec: 50,
    // 14 days of readings scored within one minute: retrain advice follows the data's days.
    timeRange: { fromMs: NOW - 60_000, toMs: NOW },
    dataTimeRange: { fromMs: NOW - 14 * DAY, toMs: NOW },
    trend: { bucketMs: 3_600_000, points: [] },
    latencyTrend: { bucketMs: 3_600_000, points: [] },
    classification: null,
    byVersion: [version('1.3.0', 12)],
    ...over,
  };
}

function drift(drifted: { name: string; psi: number; meanShift?: number }[], total = 7, datasetDrift = false): DriftInput {
  const features = Array.from({ length: total }, (_, i) => {
    const d = drifted[i];
    return d
      ? { name: d.name, psi: d.psi, drifted: true, reasons: ['psi', 'ks p=1.2e-8'], meanShift: d.meanShift ?? null }
      : { name: `f${i}`, psi: 0.01, drifted: false, reasons: [] };
  });
  return { driftedShare: drifted.length / total, datasetDrift, driftScore: drifted.length / total, features };
}

function input(over: Partial<HealthInput> = {}): HealthInput {
  return { thresholds, context: { model: 'energy-anomaly', version: '1.3.0', now: NOW }, ...over };
}

describe('assessHealth', () => {
  it('is healthy with no drift and performance within thresholds, and says why', () => {
    const h = assessHealth(input({ drift: drift([]), performance: perf() }));
    expect(h.status).toBe('healthy');
    expect(h.reasons).toEqual([]);
    expect(h.alerts).toEqual([]);
    expect(h.recommendations).toEqual([
      'No action needed: no feature drifted, request latency p95 12 ms (threshold 250 ms), anomaly rate 2.0% (threshold 10.0%).',
    ]);
  });

  it('tells the user to start scoring when nothing is logged', () => {
    const h = assessHealth(
      input({ performance: perf({ predictions: 0, requests: 0, anomalies: 0, anomalyRate: null, latency: null, byVersion: [] }) }),
    );
    expect(h.status).toBe('healthy');
    expect(h.recommendations).toEqual(['No predictions logged yet: score data to start monitoring.']);
    expect(assessHealth(input()).recommendations).toEqual(['No predictions logged yet: score data to start monitoring.']);
  });

  it('warns on a single drifted feature with one alert and an investigate line', () => {
    const h = assessHealth(input({ drift: drift([{ name: 'hvac_kw', psi: 0.214, meanShift: 1.84 }]), performance: perf() }));
    expect(h.status).toBe('warning');
    expect(h.reasons).toEqual(['Feature drift: 1 of 7 features drifted (14.3%).']);
    expect(h.recommendations).toContain('Retrain on the last 14 days: 1 of 7 features drifted (PSI of hvac_kw 0.214).');
    expect(h.recommendations).toContain(
      'Investigate hvac_kw: mean shifted 1.8σ up since training (sensor fault, equipment change or a new operating pattern).',
    );
    expect(h.alerts).toEqual([
      { level: 'warning', feature: 'hvac_kw', message: 'Drift in hvac_kw: PSI 0.214 (threshold 0.100); ks p=1.2e-8.' },
    ]);
  });

  it('is critical when half the features drift, naming the worst by PSI and the model age', () => {
    const h = assessHealth(
      input({
        drift: drift([
          { name: 'hvac_kw', psi: 0.2, meanShift: -0.4 },
          { name: 'outdoor_temp_c', psi: 0.312, meanShift: 2.5 },
          { name: 'humidity_pct', psi: 0.15 },
          { name: 'total_kw', psi: 0.11, meanShift: 1.1 },
        ]),
        performance: perf(),
        context: { model: 'energy-anomaly', version: '1.3.0', now: NOW, trainedAt: new Date(NOW - 45 * DAY).toISOString(), dataDays: 21 },
      }),
    );
    expect(h.status).toBe('critical');
    expect(h.reasons[0]).toBe('Dataset drift: 4 of 7 features drifted (57.1%).');
    expect(h.recommendations[0]).toBe(
      'Retrain on the last 21 days: 4 of 7 features drifted (PSI of outdoor_temp_c 0.312); version 1.3.0 was trained 45 days ago.',
    );
    // Investigate lines only for |shift| ≥ 1σ, largest first.
    expect(h.recommendations.filter((r) => r.startsWith('Investigate')).map((r) => r.split(':')[0])).toEqual([
      'Investigate outdoor_temp_c',
      'Investigate total_kw',
    ]);
    expect(h.alerts.map((a) => [a.level, a.feature])).toEqual([
      ['critical', 'outdoor_temp_c'],
      ['critical', 'hvac_kw'],
      ['critical', 'humidity_pct'],
      ['critical', 'total_kw'],
    ]);
  });

  it('is critical when the drift report flags dataset drift below 50%', () => {
    expect(assessHealth(input({ drift: drift([{ name: 'a', psi: 0.3 }], 7, true), performance: perf() })).status).toBe('critical');
  });

  it('grades anomaly rate: above threshold warns, above twice critical', () => {
    const warn = assessHealth(input({ performance: perf({ anomalies: 150, anomalyRate: 0.15 }) }));
    expect(warn.status).toBe('warning');
    expect(warn.reasons).toEqual(['Anomaly rate 15.0% is above the 10.0% threshold (150 of 1,000 readings).']);
    expect(warn.recommendations.some((r) => r.includes('150 flagged readings') && r.includes('15.0%'))).toBe(true);
    const crit = assessHealth(input({ performance: perf({ anomalies: 210, anomalyRate: 0.21 }) }));
    expect(crit.status).toBe('critical');
    expect(crit.alerts).toEqual([
      { level: 'critical', message: 'Anomaly rate 21.0% is above the 10.0% threshold (210 of 1,000 readings).' },
    ]);
  });

  it('grades p95 latency: above threshold warns, above twice critical', () => {
    const warn = assessHealth(input({ performance: perf({ latency: lat(300), byVersion: [] }) }));
    expect(warn.status).toBe('warning');
    expect(warn.reasons).toEqual(['Request latency p95 300 ms (online requests) is above the 250 ms threshold.']);
    expect(warn.recommendations).toContain(
      'Bring request latency p95 (300 ms) under 250 ms: reduce the number of trees, or check machine load.',
    );
    expect(assessHealth(input({ performance: perf({ latency: lat(501), byVersion: [] }) })).status).toBe('critical');
  });

  it('judges a batch by its time per reading, not as one slow request', () => {
    // 2,160 readings in 154 ms: 0.07 ms a reading, far under the per-reading threshold; no online requests.
    const batchOnly = perf({
      latency: null,
      readingLatency: { ...lat(154 / 2160), requests: 1 },
      online: { requests: 0, readings: 0 },
      batch: { requests: 1, readings: 2160 },
      byVersion: [],
    });
    const h = assessHealth(input({ performance: batchOnly }));
    expect(h.status).toBe('healthy');
    expect(h.reasons).toEqual([]);
    expect(h.recommendations.join(' ')).toContain('batch latency p95 0.071 ms a reading (threshold 1 ms a reading)');
    const slow = assessHealth(input({ performance: { ...batchOnly, readingLatency: { ...lat(1.5), requests: 3 } } }));
    expect(slow.status).toBe('warning');
    expect(slow.reasons).toEqual(['Batch latency p95 1.5 ms a reading (over 3 batches) is above the 1 ms-a-reading threshold.']);
  });

  it('warns on a ≥2× latency regression since the previous version, from byVersion or an explicit previous', () => {
    const p = perf({ latency: lat(37), byVersion: [version('1.2.0', 12), version('1.3.0', 37.2)] });
    const h = assessHealth(input({ performance: p }));
    expect(h.status).toBe('warning');
    expect(h.reasons).toEqual(['Latency p95 rose 3.1× since version 1.2.0 (12 ms → 37 ms).']);
    expect(h.recommendations).toContain(
      'Latency p95 rose 3.1× since version 1.2.0 (12 ms → 37 ms): check input size or roll back to 1.2.0.',
    );

    const explicit = assessHealth(
      input({
        performance: perf({ byVersion: [version('1.3.0', 9)] }),
        previousVersionPerformance: { version: '1.1.0', latency: { p95Ms: 4.5 } },
      }),
    );
    expect(explicit.reasons).toEqual(['Latency p95 rose 2.0× since version 1.1.0 (4.5 ms → 9.0 ms).']);
    // 1.9× is not a regression.
    expect(assessHealth(input({ performance: perf({ byVersion: [version('1.2.0', 10), version('1.3.0', 19)] }) })).status).toBe('healthy');
  });

  it('takes the worst status when several rules fire and keeps every reason', () => {
    const h = assessHealth(
      input({
        drift: drift([{ name: 'hvac_kw', psi: 0.2 }]),
        performance: perf({ latency: lat(600), anomalies: 120, anomalyRate: 0.12, byVersion: [] }),
      }),
    );
    expect(h.status).toBe('critical');
    expect(h.reasons).toHaveLength(3);
  });
});
