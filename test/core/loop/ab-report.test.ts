import { describe, expect, it } from 'vitest';
import type { AbRun } from '../../../src-main/contract/shared/ab';
import { abReport, f1WithInterval } from '../../../src-main/core/loop/ab-report';
import { allocateColumns, versionSlot, type PredictionColumns } from '../../../src-main/core/monitoring/columns';

const run = (mode: 'ab' | 'shadow'): AbRun => ({
  id: 'run-1',
  model: 'm',
  alias: 'production',
  mode,
  challenger: '1.0.1',
  champion: '1.0.0',
  share: mode === 'ab' ? 0.5 : 0,
  by: 'building',
  salt: 'm/production/1.0.1',
  startedAt: '2026-01-01T00:00:00.000Z',
  stoppedAt: null,
  reason: '',
});

interface Part {
  arm: 0 | 1 | 2;
  version: string;
  n: number;
  flagged: number;
  requestId?: number;
  /** Label per row (default −1). */
  label?: (i: number) => number;
  score?: (i: number) => number;
  time?: (i: number) => number;
}

/** A crafted log read: each part's rows in order, its first `flagged` rows flagged. */
function columns(parts: Part[]): PredictionColumns {
  const total = parts.reduce((t, p) => t + p.n, 0);
  const c = allocateColumns(total, 0, []);
  let r = 0;
  for (const p of parts) {
    const v = versionSlot(c.versions, 'm', p.version);
    for (let i = 0; i < p.n; i++, r++) {
      c.arm[r] = p.arm;
      c.versionIndex[r] = v;
      c.flag[r] = i < p.flagged ? 1 : 0;
      c.label[r] = p.label ? p.label(i) : -1;
      c.score[r] = p.score ? p.score(i) : 0.5;
      c.time[r] = p.time ? p.time(i) : Date.UTC(2026, 0, 1) + i * 60_000;
      c.requestId[r] = p.requestId ?? 1;
    }
  }
  return c;
}

describe('the A/B report', () => {
  it('compares the arms with the pooled two-proportion test (scipy: z 2.2822, p 0.02248)', () => {
    const rows = columns([
      { arm: 0, version: '1.0.0', n: 1000, flagged: 30 },
      { arm: 1, version: '1.0.1', n: 1000, flagged: 50 },
    ]);
    const r = abReport(run('ab'), rows);
    expect(r.arms.map((a) => [a.arm, a.readings, a.flagged, a.anomalyRate])).toEqual([
      ['champion', 1000, 30, 0.03],
      ['challenger', 1000, 50, 0.05],
      ['shadow', 0, 0, 0],
    ]);
    expect(r.arms[1]!.versions).toEqual(['1.0.1']);
    expect(r.verdict.decided).toBe(true);
    expect(r.verdict.test!.z).toBeCloseTo(2.2821773229381925, 10);
    expect(r.verdict.test!.pValue).toBeCloseTo(0.022478873366125248, 6);
    expect(r.verdict.message).toBe('The anomaly rates differ (champion 3.00% vs challenger 5.00%, p = 0.0225).');
    expect(r.shadow).toBeNull();
  });

  it('says plainly when the sample is too small to decide', () => {
    const rows = columns([
      { arm: 0, version: '1.0.0', n: 5000, flagged: 50 },
      { arm: 1, version: '1.0.1', n: 300, flagged: 4 },
    ]);
    const r = abReport(run('ab'), rows);
    expect(r.verdict).toEqual({
      decided: false,
      test: null,
      message: 'Sample too small to decide: the challenger arm needs at least 10 flagged and 10 unflagged readings.',
    });
    const empty = abReport(run('ab'), columns([]));
    expect(empty.verdict.message).toBe(
      'Sample too small to decide: the champion and challenger arms need at least 10 flagged and 10 unflagged readings.',
    );
    expect(empty.series.points).toEqual([]);
  });

  it('gives F1 with a seeded bootstrap interval where labels exist, and uses feedback where the log has none', () => {
    // 100 labelled readings: flags on rows 0–19; anomalies are rows 10–29 → TP 10, FP 10, FN 10: F1 = 0.5.
    const label = (i: number): number => (i >= 10 && i < 30 ? 1 : 0);
    const rows = columns([{ arm: 0, version: '1.0.0', n: 100, flagged: 20, label }]);
    const r = abReport(run('ab'), rows, { resamples: 300, seed: 7 });
    const f1 = r.arms[0]!.f1!;
    expect(f1.value).toBe(0.5);
    expect(f1.low).toBeLessThan(0.5);
    expect(f1.high).toBeGreaterThan(0.5);
    expect(f1.high - f1.low).toBeLessThan(0.5);
    expect(abReport(run('ab'), rows, { resamples: 300, seed: 7 }).arms[0]!.f1).toEqual(f1);
    expect(r.arms[0]!.labelled).toBe(100);
    expect(r.arms[1]!.f1).toBeNull();
    // The same rows without labels in the log, the verdicts coming from feedback instead.
    const bare = columns([{ arm: 0, version: '1.0.0', n: 100, flagged: 20 }]);
    const extraLabels = Int8Array.from({ length: 100 }, (_, i) => label(i));
    expect(abReport(run('ab'), bare, { resamples: 300, seed: 7, extraLabels }).arms[0]!.f1).toEqual(f1);
    // One class only: no F1.
    expect(f1WithInterval(Uint8Array.of(1, 0), Uint8Array.of(0, 0), 10, 1)).toBeNull();
  });

  it('measures a shadow against the champion on the same readings: Jaccard of flags and score shift', () => {
    // Request 9: champion flags rows 0–9, shadow rows 5–14 → |A∩B| 5, |A∪B| 15; shadow scores 0.1 higher.
    const rows = columns([
      { arm: 0, version: '1.0.0', n: 200, flagged: 10, requestId: 9, score: (i) => i / 1000 },
      { arm: 2, version: '1.0.1', n: 200, flagged: 0, requestId: 9, score: (i) => i / 1000 + 0.1 },
    ]);
    for (let i = 200 + 5; i < 200 + 15; i++) rows.flag[i] = 1;
    const r = abReport(run('shadow'), rows);
    expect(r.shadow!.matched).toBe(200);
    expect(r.shadow!.jaccard).toBeCloseTo(5 / 15, 12);
    expect(r.shadow!.meanScoreShift).toBeCloseTo(0.1, 6);
    expect(r.shadow!.flagsChanged).toBe(10);
    expect(r.verdict.test).toBeNull();
    expect(r.verdict.message).toBe(
      "Shadow decided nothing: on 200 shared readings it flags 5.00% against the champion's 5.00%; flag agreement (Jaccard) 0.333, 10 readings would change.",
    );
  });

  it('charts the anomaly rate per arm over data time in hourly buckets', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const rows = columns([
      { arm: 0, version: '1.0.0', n: 120, flagged: 30, time: (i) => t0 + i * 60_000 },
      { arm: 1, version: '1.0.1', n: 60, flagged: 6, time: (i) => t0 + 3_600_000 + i * 60_000 },
    ]);
    const r = abReport(run('ab'), rows);
    expect(r.series.bucketMs).toBe(3_600_000);
    expect(r.series.points).toEqual([
      { time: t0, champion: 0.5, challenger: null, shadow: null },
      { time: t0 + 3_600_000, champion: 0, challenger: 0.1, shadow: null },
    ]);
    expect([r.fromMs, r.toMs]).toEqual([t0, t0 + 119 * 60_000]);
  });
});
