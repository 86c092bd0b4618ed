import { join } from 'node:path';
import { FAULT_TYPES, FEEDBACK_VERDICTS, type FeedbackRecord, type FeedbackSummary } from '../../contract/shared/alerts';
import { latestFeedback, summarizeFeedback } from '../../core/feedback/summary';
import { appendLines, readNdjson } from '../../core/registry';

/** feedback.ndjson at the registry's root (ARCHITECTURE §4, §6a): append-only verdicts on flagged readings. */
export const FEEDBACK_FILE = 'feedback.ndjson';
export const feedbackPath = (root: string): string => join(root, FEEDBACK_FILE);

export interface FeedbackRead {
  records: FeedbackRecord[];
  tornLines: number;
  badLines: { line: number; text: string }[];
}

function isRecord(r: unknown): r is FeedbackRecord {
  if (typeof r !== 'object' || r === null) return false;
  const f = r as Partial<FeedbackRecord>;
  return (
    typeof f.model === 'string' &&
    typeof f.version === 'string' &&
    (f.building === null || typeof f.building === 'string') &&
    typeof f.dataTime === 'number' &&
    Number.isFinite(f.dataTime) &&
    (FEEDBACK_VERDICTS as readonly unknown[]).includes(f.verdict) &&
    (f.faultType === null || (FAULT_TYPES as readonly unknown[]).includes(f.faultType)) &&
    typeof f.time === 'string'
  );
}

/** Reads the feedback; a torn last line is skipped, a bad complete line is reported (registry verify) and skipped. */
export async function readFeedback(root: string): Promise<FeedbackRead> {
  const read = await readNdjson(feedbackPath(root));
  const out: FeedbackRead = { records: [], tornLines: read.tornLines, badLines: [...read.badLines] };
  read.records.forEach((r, i) => {
    if (isRecord(r)) out.records.push(r);
    else out.badLines.push({ line: read.recordLines[i] ?? 0, text: JSON.stringify(r).slice(0, 80) });
  });
  return out;
}

/** Appends the records; callers hold the registry lock. */
export async function appendFeedback(root: string, records: readonly FeedbackRecord[]): Promise<void> {
  await appendLines(
    feedbackPath(root),
    records.map((r) => JSON.stringify(r)),
  );
}

/** The model's latest verdicts, counted (what Performance shows). */
export async function modelFeedback(root: string, model: string): Promise<FeedbackSummary> {
  return summarizeFeedback(latestFeedback((await readFeedback(root)).records, model).values());
}
