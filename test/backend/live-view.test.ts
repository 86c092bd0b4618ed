import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { LiveWindow, Throttle } from '../../src-main/backend/live/live-window';
import type { GreenLensEvent } from '../../src-main/contract';
import { LIVE_EVENT_MIN_MS, LIVE_RECENT_SCORES, LIVE_WINDOW_SECONDS, type LiveStatusInfo } from '../../src-main/contract/shared/live';
import { startTestWorker, tempDir } from '../helpers/backend';

describe('the live view’s rolling window', () => {
  it('holds an hour of 1,000 readings/s in the same memory as one second, and counts the last 5 minutes exactly', () => {
    const w = new LiveWindow();
    const slots = w.slots;
    const scores = Float64Array.from({ length: 1000 }, (_, i) => i / 1000);
    // Every 10th reading flagged.
    const flags = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const t0 = Date.UTC(2026, 10, 30, 12);
    for (let s = 0; s < 3600; s++) w.add(t0 + s * 1000 + 500, scores, flags);
    expect(w.slots).toBe(slots);
    const snap = w.snapshot(t0 + 3599 * 1000 + 900);
    expect(snap.perSecond.length).toBe(LIVE_WINDOW_SECONDS);
    expect(snap.readings).toBe(LIVE_WINDOW_SECONDS * 1000);
    expect(snap.anomalies).toBe(LIVE_WINDOW_SECONDS * 100);
    expect(snap.anomalyRate).toBeCloseTo(0.1, 12);
    expect(snap.perSecond[0]!.t).toBe(Math.floor(t0 / 1000) + 3600 - LIVE_WINDOW_SECONDS);
    // The latest scores, oldest first: the last 600 of the last batch.
    expect(snap.recentScores.length).toBe(LIVE_RECENT_SCORES);
    expect(snap.recentScores[0]).toBe(0.4);
    expect(snap.recentScores.at(-1)).toBe(0.999);
    // The readings/s of the 5 whole seconds before now.
    expect(w.rate(t0 + 3599 * 1000 + 900)).toBe(1000);
    // Ten minutes of silence empty the window.
    expect(w.snapshot(t0 + 4200 * 1000).readings).toBe(0);
  });

  it('throttles updates to one per 250 ms however many are asked for, and never drops the last', () => {
    vi.useFakeTimers();
    try {
      let now = 0;
      const sentAt: number[] = [];
      const t = new Throttle(
        () => sentAt.push(now),
        LIVE_EVENT_MIN_MS,
        () => now,
      );
      // 10,000 requests over 10 s (one per millisecond), as a fast stream asks after every batch.
      for (let ms = 0; ms < 10_000; ms++) {
        now = ms;
        vi.advanceTimersByTime(1);
        t.request();
      }
      now = 10_250;
      vi.advanceTimersByTime(1000);
      expect(sentAt.length).toBeLessThanOrEqual(10_000 / LIVE_EVENT_MIN_MS + 1);
      expect(sentAt.length).toBeGreaterThanOrEqual(10_000 / LIVE_EVENT_MIN_MS - 1);
      for (let k = 1; k < sentAt.length; k++) expect(sentAt[k]! - sentAt[k - 1]!).toBeGreaterThanOrEqual(LIVE_EVENT_MIN_MS);
      // The request at 9,999 ms was answered after it.
      expect(sentAt.at(-1)!).toBeGreaterThanOrEqual(9_999);
    } finally {
      vi.useRealTimers();
    }
  });
});

let host: WorkerHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

describe('the app’s live source (replay) through the worker', () => {
  it('scores and logs every replayed row, with throttled live events and a final status', async () => {
    host = startTestWorker(join(tempDir('gl-live-'), 'registry'));
    const h = host;
    const ds = await h.call('data.simulate', { buildings: 2, days: 14, seed: 4, anomalyRate: 0.02 });
    await h.call('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', trees: 30 });
    const events: { at: number; status: LiveStatusInfo }[] = [];
    let changed = 0;
    h.on((e: GreenLensEvent) => {
      if (e.type === 'live') events.push({ at: performance.now(), status: e.status });
      if (e.type === 'changed' && e.topic === 'predictions') changed++;
    });
    const first = await h.call('live.start', { kind: 'replay', datasetId: ds.id, speed: 0 });
    expect(first).toMatchObject({ state: 'replaying', source: { kind: 'replay', datasetId: ds.id, rows: 672, speed: 0 } });
    const until = Date.now() + 60_000;
    while (events.at(-1)?.status.state !== 'finished' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const last = events.at(-1)!.status;
    expect(last).toMatchObject({ state: 'finished', scored: 672, logged: 672, malformed: 0, model: 'energy-anomaly', version: '1.0.0' });
    expect(last.window.readings).toBe(672);
    expect(last.window.anomalies).toBe(last.anomalies);
    // Between the first and the final state change, progress events are at least 250 ms apart (± timer slack).
    const progress = events.slice(1, -1).filter((e) => e.status.state === 'replaying');
    for (let k = 1; k < progress.length; k++) expect(progress[k]!.at - progress[k - 1]!.at).toBeGreaterThan(LIVE_EVENT_MIN_MS - 20);
    expect(changed).toBeGreaterThanOrEqual(1);
    // The replayed readings are in the prediction log, as health sees them.
    const health = await h.call('monitoring.health', {});
    expect(health.loggedPredictions).toBe(672);
    expect(await h.call('live.status', {})).toMatchObject({ state: 'finished', scored: 672 });
  }, 120_000);
});
