import { create } from 'zustand';
import type { FaultType, FeedbackRecord, FeedbackSummary, FeedbackVerdict } from '../../../src-main/contract/shared/alerts';
import { refreshPerformance } from './monitoring';
import { onTopic, tryCall } from './store';

/** Verdicts on flagged readings of one model, keyed like the backend: version, building, reading time. */
interface FeedbackState {
  model: string | null;
  byKey: Record<string, FeedbackRecord>;
  summary: FeedbackSummary | null;
}

export const useFeedback = create<FeedbackState>(() => ({ model: null, byKey: {}, summary: null }));

export const feedbackKey = (version: string, building: string | null, dataTime: number): string =>
  `${version}|${building ?? ''}|${dataTime}`;

export async function refreshFeedback(model: string): Promise<void> {
  const r = await tryCall('feedback.list', { model }, 'Loading feedback');
  if (!r) return;
  const byKey: Record<string, FeedbackRecord> = {};
  for (const rec of r.records) byKey[feedbackKey(rec.version, rec.building, rec.dataTime)] = rec;
  useFeedback.setState({ model, byKey, summary: r.summary });
}

export async function markReadings(
  model: string,
  readings: { version: string; building: string | null; dataTime: number }[],
  verdict: FeedbackVerdict,
  faultType?: FaultType,
): Promise<boolean> {
  const r = await tryCall(
    'feedback.mark',
    { model, readings, verdict, ...(verdict === 'fault' && faultType ? { faultType } : {}) },
    'Saving feedback',
  );
  if (r) await refreshFeedback(model);
  return r !== null;
}

onTopic('feedback', () => {
  const model = useFeedback.getState().model;
  if (model) void refreshFeedback(model);
  // Precision from feedback is part of the Performance summary.
  void refreshPerformance();
});
