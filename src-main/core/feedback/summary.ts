import type { FeedbackRecord, FeedbackSummary, ReadingKey } from '../../contract/shared/alerts';

/** One string per logged reading: model, version, building and the reading's own time. */
export function readingKey(k: ReadingKey): string {
  return `${k.model}|${k.version}|${k.building ?? ''}|${k.dataTime}`;
}

/** The latest verdict per reading (feedback.ndjson is append-only: a later line replaces an earlier one). */
export function latestFeedback(records: readonly FeedbackRecord[], model?: string): Map<string, FeedbackRecord> {
  const out = new Map<string, FeedbackRecord>();
  for (const r of records) if (model === undefined || r.model === model) out.set(readingKey(r), r);
  return out;
}

/**
 * Counts over the latest verdicts. Feedback is given on flagged readings, so a
 * confirmed fault is a true positive and a false alarm a false positive: the
 * share confirmed is the flags' precision (recall needs the unflagged faults,
 * which feedback never sees).
 */
export function summarizeFeedback(latest: Iterable<FeedbackRecord>): FeedbackSummary {
  let confirmed = 0;
  let falseAlarms = 0;
  const byFaultType: FeedbackSummary['byFaultType'] = {};
  for (const r of latest) {
    if (r.verdict === 'fault') {
      confirmed++;
      const t = r.faultType ?? 'other';
      byFaultType[t] = (byFaultType[t] ?? 0) + 1;
    } else falseAlarms++;
  }
  const reviewed = confirmed + falseAlarms;
  return { reviewed, confirmed, falseAlarms, precision: reviewed > 0 ? confirmed / reviewed : null, byFaultType };
}
