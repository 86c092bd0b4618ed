import { join } from 'node:path';
import type { ExplanationSummary, ExplanationWeek } from '../../contract/shared/report';
import { featureShares, type IForestModel } from '../../core/model';
import { topContributions, type Contribution, type ScoredContext } from '../../core/model/contextual/importance';
import { MEMBERS, type ContextualModel, type ContextualScores } from '../../core/model/contextual/types';
import { appendLine, readNdjson } from '../../core/registry/atomic';
import { roundFixed } from '../../core/stats/fixed';
import { weekStartOf } from '../../core/data/calendar';

/**
 * Explanation logging: the top contributions of each flagged reading, one
 * NDJSON line per scoring request beside the prediction log (a side file, so
 * the binary record format stays as it is; a torn last line is skipped).
 * Line: { requestId, model, version, time, flags: [[rowTime, [[feature, share], …], member?, building?], …] };
 * contextual versions add the member that raised the flag and the building
 * (additive: forest lines and older readers use the first two elements).
 */
export const EXPLANATIONS_FILE = join('predictions', 'explanations.ndjson');
/** Contributions kept per flagged reading. */
export const TOP_CONTRIBUTIONS = 3;

type Flag = [number, Array<[string, number]>] | [number, Array<[string, number]>, string, string | null];

/** Top contributions of the flagged rows of one forest scoring (shares walked on what the forest saw). */
export function forestFlagExplanations(
  model: IForestModel,
  flags: Uint8Array,
  view: (start: number, end: number) => Float64Array[],
  rowTimes: Float64Array | null,
  requestTime: number,
): Flag[] {
  const out: Flag[] = [];
  for (const block of forestFlagBlocks(model, flags, view, rowTimes, requestTime)) out.push(...block);
  return out;
}

/**
 * forestFlagExplanations a block of rows at a time, yielding to the event
 * loop between blocks: started before the predictions are logged, it runs
 * while the log's writes and fsync are in flight rather than after them.
 */
export async function forestFlagExplanationsBetween(
  model: IForestModel,
  flags: Uint8Array,
  view: (start: number, end: number) => Float64Array[],
  rowTimes: Float64Array | null,
  requestTime: number,
): Promise<Flag[]> {
  const out: Flag[] = [];
  for (const block of forestFlagBlocks(model, flags, view, rowTimes, requestTime)) {
    out.push(...block);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

function* forestFlagBlocks(
  model: IForestModel,
  flags: Uint8Array,
  view: (start: number, end: number) => Float64Array[],
  rowTimes: Float64Array | null,
  requestTime: number,
): Generator<Flag[]> {
  const row = new Float64Array(model.features.length);
  const rounded = new Float64Array(model.features.length);
  // The forest's view of a block of rows at a time: a view per flagged row cost more than walking its paths.
  for (let start = 0; start < flags.length; start += VIEW_ROWS) {
    const end = Math.min(flags.length, start + VIEW_ROWS);
    const out: Flag[] = [];
    let columns: Float64Array[] | null = null;
    for (let i = start; i < end; i++) {
      if (!flags[i]) continue;
      columns ??= view(start, end);
      for (let f = 0; f < row.length; f++) row[f] = columns[f]![i - start]!;
      const top = topShares(model.features, featureShares(model, row), rounded, TOP_CONTRIBUTIONS);
      out.push([rowTimes ? rowTimes[i]! : requestTime, top]);
    }
    if (out.length) yield out;
  }
}

/**
 * The `k` largest shares, each to 4 decimals, largest first; equal rounded
 * shares keep feature order (what a stable sort of the rounded shares gives).
 * Picked in place: a flagged row's list of tuples, sorted, was most of
 * explaining the flags of a large request. `scratch`: room for the rounded shares.
 */
export function topShares(features: readonly string[], shares: Float64Array, scratch: Float64Array, k: number): Array<[string, number]> {
  const n = features.length;
  for (let j = 0; j < n; j++) scratch[j] = roundFixed(shares[j]!, 4);
  const top: Array<[string, number]> = [];
  for (let pick = 0; pick < Math.min(k, n); pick++) {
    // Strictly larger: among equal shares the first feature wins. Shares are >= 0: a taken one is set to -Infinity.
    let best = 0;
    for (let j = 1; j < n; j++) if (scratch[j]! > scratch[best]!) best = j;
    top.push([features[best]!, scratch[best]!]);
    scratch[best] = Number.NEGATIVE_INFINITY;
  }
  return top;
}

/** Rows of the forest's view taken at once by forestFlagExplanations. */
const VIEW_ROWS = 4096;

/** Top contributions of the flagged readings of one contextual scoring, with the member that raised each and its building. */
export function contextualFlagExplanations(
  model: ContextualModel,
  s: ContextualScores,
  scored: ScoredContext,
  buildingOf: (row: number) => string | null,
  requestTime: number,
  /** Top contributions already found by row (by the threads that scored the rows), else found here. */
  found: ReadonlyMap<number, Contribution[]> | null = null,
): Flag[] {
  const out: Flag[] = [];
  for (let i = 0; i < s.flags.length; i++) {
    if (!s.flags[i]) continue;
    const t = scored.time[i]!;
    const top = found?.get(i) ?? topContributions(model, s, scored, i);
    out.push([Number.isFinite(t) ? t : requestTime, top, MEMBERS[s.member[i]!]!, buildingOf(i)]);
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
  const weekLead = new Map<number, Map<string, number>>();
  const members: Record<string, number> = {};
  let flagged = 0;
  for (const r of records) {
    const e = r as { model?: unknown; flags?: unknown };
    if (e.model !== model || !Array.isArray(e.flags)) continue;
    for (const f of e.flags as Flag[]) {
      const [t, top] = f;
      if (!(t >= fromMs && t < toMs) || !Array.isArray(top) || top.length === 0) continue;
      flagged++;
      const leader = top[0]![0];
      lead.set(leader, (lead.get(leader) ?? 0) + 1);
      for (const [name, share] of top) shareSum.set(name, (shareSum.get(name) ?? 0) + share);
      const week = weekStartOf(t);
      const w = weekLead.get(week) ?? new Map<string, number>();
      weekLead.set(week, w.set(leader, (w.get(leader) ?? 0) + 1));
      if (typeof f[2] === 'string') members[f[2]] = (members[f[2]] ?? 0) + 1;
    }
  }
  const weeks: ExplanationWeek[] = [...weekLead]
    .sort((a, b) => a[0] - b[0])
    .map(([weekStart, w]) => {
      const count = [...w.values()].reduce((a, b) => a + b, 0);
      const [feature, n] = [...w].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
      const pct = Math.round((n / count) * 100);
      const week = new Date(weekStart).toISOString().slice(0, 10);
      return {
        weekStart,
        flagged: count,
        feature,
        leadingShare: n / count,
        sentence: `${feature} drove ${pct} % of the week's flags (week of ${week}, ${count.toLocaleString('en-US')} flag${count === 1 ? '' : 's'}).`,
      };
    });
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
      : 'No explained flags yet: flags are explained when a version scores and logs readings.';
  return { model, flagged, features, sentence, weeks, ...(Object.keys(members).length ? { members } : {}) };
}
