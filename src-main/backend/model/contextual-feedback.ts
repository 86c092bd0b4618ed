import type { Dataset } from '../datasets';
import { feedbackVerdicts, labelsWithFeedback } from '../feedback/labels';
import { readFeedback } from '../feedback/store';

export interface ContextualFeedback {
  label: { name: string; values: Float64Array } | null;
  /** 1 where a person confirmed a fault: left out of the baseline fit (null = none). */
  exclude: Uint8Array | null;
  /** Readings with a verdict, and of them confirmed faults. */
  matched: number;
  faults: number;
}

/**
 * `includeFeedback` for the contextual detector: verdicts are labels for the
 * metrics (as for the forest), and a confirmed fault is left out of the
 * baseline fit, so the expected load is learnt from how the building normally
 * runs; a false alarm stays in the fit as an ordinary reading.
 */
export async function contextualFeedback(
  ds: Dataset,
  label: { name: string; values: Float64Array } | null,
  registryDir: string,
  model: string,
): Promise<ContextualFeedback> {
  const { records } = await readFeedback(registryDir);
  const found = feedbackVerdicts(ds, records, model);
  if (!found) return { label, exclude: null, matched: 0, faults: 0 };
  const exclude = Uint8Array.from(found.verdicts, (v) => (v === 1 ? 1 : 0));
  const faults = exclude.reduce((s, v) => s + v, 0);
  return { label: labelsWithFeedback(ds, label, records, model).label, exclude: faults ? exclude : null, matched: found.matched, faults };
}
