import { join } from 'node:path';
import type { ExplanationSummary } from '../../contract/shared/report';
import { featureShares, type IForestModel } from '../../core/model';
import { appendLine, readNdjson } from '../../core/registry/atomic';

/**
 * Explanation logging: the top contributions of each flagged reading, one
 * NDJSON line per scoring request beside the prediction log (a side file, so
 * the binary record format stays as it is; a torn last line is skipped).
 * Line: { requestId, model, version, time, flags: [[rowTime, [[feature, share], …]], …] }.
 */
export const EXPLANATIONS_FILE = join('predictions', 'explanations.ndjson');
/** Contributions kept per flagged reading. */
export const TOP_CONTRIBUTIONS = 3;

type Flag = [number, Array<[string, number]>];

/** Top contributions of the flagged rows of one forest scoring (shares walked on what the forest saw). */
export function forestFlagExplanations(
  model: IForestModel,
  flags: Uint8Array,
  view: (start: number, end: number) => Float64Array[],
  rowTimes: Float64Array | null,
  requestTime: number,
): Flag[] {
  const out: Flag[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (!flags[i]) continue;
    const shares = featureShares(
      model,
      view(i, i + 1).map((c) => c[0]!),
    );
    const top = model.features
      .map((f, j): [string, number] => [f, Number(shares[j]!.toFixed(4))])
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_CONTRIBUTIONS);
    out.push([rowTimes ? rowTimes[i]! : requestTime, top]);
  }
  return out;
}

export async function logFlagExplanations(
  registryDir: string,
  entry: { requestId: string; model: string; version: string; time: number; flags: Flag[] },
): Promise<void> {
  if (entry.flags.length === 0) return;
  await appendLine(join(registryDir, EXPLANATIONS_FILE), JSON.stringify(entry));
}

/**
 * Which features drove the flags of a model whose readings' own time is in
 * [fromMs, toMs): for each feature, the flagged readings it contributed most
 * to, and its mean share over them.
 */
export async function explanationSummary(
  registryDir: string,
  model: string,
  fromMs = Number.NEGATIVE_INFINITY,
  toMs = Number.POSITIVE_INFINITY,
): Promise<ExplanationSummary> {
  const { records } = await readNdjson(join(registryDir, EXPLANATIONS_FILE));
  const lead = new Map<string, number>();
  const shareSum = new Map<string, number>();
  let flagged = 0;
  for (const r of records) {
    const e = r as { model?: unknown; flags?: unknown };
    if (e.model !== model || !Array.isArray(e.flags)) continue;
    for (const f of e.flags as Flag[]) {
      const [t, top] = f;
      if (!(t >= fromMs && t < toMs) || !Array.isArray(top) || top.length === 0) continue;
      flagged++;
      lead.set(top[0]![0], (lead.get(top[0]![0]) ?? 0) + 1);
      for (const [name, share] of top) shareSum.set(name, (shareSum.get(name) ?? 0) + share);
    }
  }
  const features = [...new Set([...lead.keys(), ...shareSum.keys()])]
    .map((feature) => ({
      feature,
      leading: lead.get(feature) ?? 0,
      leadingShare: flagged ? (lead.get(feature) ?? 0) / flagged : 0,
      meanShare: flagged ? (shareSum.get(feature) ?? 0) / flagged : 0,
    }))
    .sort((a, b) => b.leading - a.leading || b.meanShare - a.meanShare);
  const top = features[0];
  const sentence =
    top && flagged
      ? `${top.feature} drove ${Math.round(top.leadingShare * 100)} % of the ${flagged.toLocaleString('en-US')} explained flags.`
      : 'No explained flags yet: flags are explained when a forest version scores and logs readings.';
  return { model, flagged, features, sentence };
}
