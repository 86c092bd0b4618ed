/**
 * The contextual detector on several threads. A building's baseline and its
 * scores depend on its own rows only, so the buildings are dealt into one
 * slice per thread (balanced by rows); the calling thread works on the first
 * slice while worker_threads (score-worker.ts → contextual-task.ts) take the
 * rest, and the results are put back in row order. Results equal the
 * one-thread ones: the same core functions run on the same rows.
 *
 * As in parallel-score.ts, the thread plumbing lives here, not in core.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fitBuildingModels, scoreContextualPart, unseenWarnings } from '../../core/model/contextual/detector';
import {
  MEMBERS,
  type BuildingModel,
  type ContextualInput,
  type ContextualModel,
  type ContextualScores,
  type ContextualSettings,
} from '../../core/model/contextual/types';
import type { ContextualReply, ContextualTask, PartScores } from './contextual-task';
import { runOnThread } from './score-threads';

/** With a progress callback, the buildings are fitted or scored in this many rounds per thread, so the bar moves between rounds. */
const PROGRESS_ROUNDS = 4;

export interface ContextualThreads {
  /** Path of the built score-worker script (JS), or its dev .mjs. */
  workerScript: string;
  /** Threads in total, including the calling one. */
  threads: number;
  execArgv?: string[];
}

/** Row indices of each slice: whole buildings dealt largest first to the slice with the fewest rows. */
export function buildingSlices(input: ContextualInput, slices: number): Int32Array[] {
  const n = input.time.length;
  const codes = input.groups?.codes ?? null;
  if (!codes || slices < 2) return [Int32Array.from({ length: n }, (_, i) => i)];
  // Code −1 (rows without an id) is a building of its own: shift codes by one.
  const size = new Int32Array(input.groups!.dictionary.length + 1);
  for (let i = 0; i < n; i++) size[codes[i]! + 1]!++;
  const order = Array.from(size.keys())
    .filter((c) => size[c]! > 0)
    .sort((a, b) => size[b]! - size[a]! || a - b);
  const count = Math.min(slices, order.length);
  const sliceOf = new Int32Array(size.length).fill(-1);
  const load = new Float64Array(count);
  for (const c of order) {
    let best = 0;
    for (let t = 1; t < count; t++) if (load[t]! < load[best]!) best = t;
    sliceOf[c] = best;
    load[best]! += size[c]!;
  }
  const out = Array.from(load, (l) => new Int32Array(l));
  const at = new Int32Array(count);
  for (let i = 0; i < n; i++) {
    const t = sliceOf[codes[i]! + 1]!;
    out[t]![at[t]!++] = i;
  }
  return out;
}

function gather<T extends Float64Array | Int32Array>(a: T, rows: Int32Array): T {
  const out = new (a.constructor as { new (n: number): T })(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = a[rows[k]!]!;
  return out;
}

/** The input's rows `rows` in fresh arrays (transferable without detaching the caller's). */
export function inputRows(input: ContextualInput, rows: Int32Array): ContextualInput {
  return {
    time: gather(input.time, rows),
    groups: input.groups && { codes: gather(input.groups.codes, rows), dictionary: input.groups.dictionary },
    temperature: input.temperature && gather(input.temperature, rows),
    meters: input.meters.map((c) => gather(c, rows)),
    stuckColumns: input.stuckColumns.map((c) => gather(c, rows)),
  };
}

function inputBuffers(input: ContextualInput): ArrayBuffer[] {
  const arrays: (Float64Array | Int32Array)[] = [input.time, ...input.meters, ...input.stuckColumns];
  if (input.temperature) arrays.push(input.temperature);
  if (input.groups) arrays.push(input.groups.codes);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

function runTask(options: ContextualThreads, request: ContextualTask): Promise<ContextualReply & { ok: true }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(options.workerScript, { execArgv: options.execArgv });
    let settled = false;
    worker.once('message', (reply: ContextualReply) => {
      settled = true;
      if (reply.ok) resolve(reply);
      else reject(new Error(`contextual worker failed: ${reply.message}`));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`contextual worker exited with code ${code} before replying`));
    });
    worker.postMessage(request, inputBuffers(request.input));
  });
}

/** How many buildings the input holds (rows without an id count as one). */
export function buildingCount(input: ContextualInput): number {
  const codes = input.groups?.codes;
  if (!codes) return input.time.length ? 1 : 0;
  return new Set(codes).size;
}

/**
 * fitBuildingModels over all buildings, split across threads, in the input's
 * building order. Given `progress`, the buildings are fitted in rounds (as in
 * scoreContextualPart's rounds) and the buildings done are reported after each.
 */
export async function fitBuildingModelsParallel(
  input: ContextualInput,
  settings: ContextualSettings,
  options: ContextualThreads,
  progress?: (buildingsDone: number) => void,
): Promise<BuildingModel[]> {
  const slices = buildingSlices(input, options.threads * (progress ? PROGRESS_ROUNDS : 1));
  const results: BuildingModel[][] = [];
  let done = 0;
  for (let r = 0; r < slices.length; r += options.threads) {
    const parts = slices.slice(r, r + options.threads).map((rows) => inputRows(input, rows));
    const pending = parts.slice(1).map(async (part) => {
      const reply = await runTask(options, { task: 'contextual-fit', settings, input: part });
      if (reply.task !== 'contextual-fit') throw new Error('contextual worker answered another task');
      return reply.buildings;
    });
    // A worker that fails to start rejects later; catch now so an error here does not leave it unhandled.
    pending.forEach((p) => p.catch(() => undefined));
    const round = [fitBuildingModels(parts[0]!, settings), ...(await Promise.all(pending))];
    results.push(...round);
    for (const b of round) done += b.length;
    progress?.(done);
  }
  // fitBuildingModels orders by code (rows without an id, code −1, first); so must the union.
  if (results.length === 1) return results[0]!;
  const rank = codeRank(input);
  return results.flat().sort((x, y) => rank(x.id) - rank(y.id));
}

/** A building id's code in the input's dictionary (−1 for rows without an id), to restore one-thread order. */
function codeRank(input: ContextualInput): (id: string) => number {
  const code = new Map((input.groups?.dictionary ?? []).map((d, i) => [d, i]));
  return (id) => code.get(id) ?? -1;
}

function scatter<T extends Float64Array | Uint8Array | Int16Array>(out: T, part: T, rows: Int32Array): void {
  for (let k = 0; k < rows.length; k++) out[rows[k]!] = part[k]!;
}

/** A slice's scores from a pooled thread (the one that read the CSV, say): a new thread per round cost ~0.2 CPU-s to start. */
async function scorePartOnThread(options: ContextualThreads, model: ContextualModel, part: ContextualInput): Promise<ScoredPart> {
  const reply = await runOnThread<ContextualReply>(options, { task: 'contextual-score', model, input: part }, inputBuffers(part));
  if (reply.task !== 'contextual-score') throw new Error('contextual worker answered another task');
  return { scores: reply.scores, unseen: reply.unseen };
}

type ScoredPart = { scores: PartScores; unseen: string[] };

/** Scores the slices, a round of `threads` at a time (this thread takes the first of each round). */
async function scoreSlices(
  model: ContextualModel,
  input: ContextualInput,
  options: ContextualThreads,
  rows: Int32Array[],
  progress?: (rowsDone: number, total: number) => void,
): Promise<ScoredPart[]> {
  const results: ScoredPart[] = [];
  let done = 0;
  for (let r = 0; r < rows.length; r += options.threads) {
    const round = rows.slice(r, r + options.threads);
    const parts = round.map((slice) => inputRows(input, slice));
    const pending = parts.slice(1).map((part) => scorePartOnThread(options, model, part));
    // A worker that fails to start rejects later; catch now so an error here does not leave it unhandled.
    pending.forEach((p) => p.catch(() => undefined));
    const first = scoreContextualPart(model, parts[0]!);
    results.push(first, ...(await Promise.all(pending)));
    for (const slice of round) done += slice.length;
    progress?.(done, input.time.length);
  }
  return results;
}

function unseenOf(input: ContextualInput, results: ScoredPart[]): string[] {
  const rank = codeRank(input);
  return unseenWarnings(results.flatMap((x) => x.unseen).sort((a, b) => rank(a) - rank(b)));
}

/**
 * scoreContextual, with the buildings split across threads. Given `progress`,
 * the buildings are dealt into more slices, scored a round of `threads` slices
 * at a time, and the rows done are reported after each round (issue 9.16).
 */
export async function scoreContextualParallel(
  model: ContextualModel,
  input: ContextualInput,
  options: ContextualThreads,
  progress?: (rowsDone: number, total: number) => void,
): Promise<ContextualScores> {
  const rows = buildingSlices(input, options.threads * (progress ? PROGRESS_ROUNDS : 1));
  const results = await scoreSlices(model, input, options, rows, progress);
  return { ...inRowOrder(input, rows, results, 'all'), warnings: unseenOf(input, results) };
}

/**
 * The slices' scores back in the input's row order: scores, flags and members
 * for every row, the rest (members' scores, expected loads, z, feature, rule)
 * for every row or only at flagged rows (zero elsewhere).
 */
function inRowOrder(input: ContextualInput, rows: Int32Array[], results: ScoredPart[], detail: 'all' | 'flagged'): PartScores {
  const n = input.time.length;
  const meters = input.meters.length;
  const out: PartScores = {
    scores: new Float64Array(n),
    flags: new Uint8Array(n),
    member: new Uint8Array(n),
    feature: new Int16Array(n),
    rule: new Uint8Array(n),
    memberScores: Object.fromEntries(MEMBERS.map((m) => [m, new Float64Array(n)])) as PartScores['memberScores'],
    expected: Array.from({ length: meters }, () => new Float64Array(n)),
    z: Array.from({ length: meters }, () => new Float64Array(n)),
  };
  results.forEach(({ scores: s }, t) => {
    const r = rows[t]!;
    scatter(out.scores, s.scores, r);
    scatter(out.flags, s.flags, r);
    scatter(out.member, s.member, r);
    for (let k = 0; k < r.length; k++) {
      if (detail === 'flagged' && !s.flags[k]) continue;
      const i = r[k]!;
      out.feature[i] = s.feature[k]!;
      out.rule[i] = s.rule[k]!;
      for (const m of MEMBERS) out.memberScores[m][i] = s.memberScores[m][k]!;
      for (let m = 0; m < meters; m++) {
        out.expected[m]![i] = s.expected[m]![k]!;
        out.z[m]![i] = s.z[m]![k]!;
      }
    }
  });
  return out;
}

/**
 * What a score request reads: scores, flags and members for every row, and
 * `flagged`, whose detail (members' scores, expected loads, z, feature, rule)
 * is filled only at flagged rows — all an explanation of a flag reads.
 */
export type ContextualFlags = Pick<ContextualScores, 'scores' | 'flags' | 'member' | 'warnings'> & { flagged: ContextualScores };

/** A full scoring seen as ContextualFlags (the one-thread path). */
export function asContextualFlags(s: ContextualScores): ContextualFlags {
  return { scores: s.scores, flags: s.flags, member: s.member, warnings: s.warnings, flagged: s };
}

/**
 * scoreContextualParallel's scores, flags and members, with the detail put
 * back only at flagged rows: putting the members' scores, expected loads and
 * z back in row order for every row was a fifth of the contextual score's CPU.
 */
export async function scoreContextualFlagsParallel(
  model: ContextualModel,
  input: ContextualInput,
  options: ContextualThreads,
  progress?: (rowsDone: number, total: number) => void,
): Promise<ContextualFlags> {
  const rows = buildingSlices(input, options.threads * (progress ? PROGRESS_ROUNDS : 1));
  const results = await scoreSlices(model, input, options, rows, progress);
  const out = inRowOrder(input, rows, results, 'flagged');
  const warnings = unseenOf(input, results);
  return { scores: out.scores, flags: out.flags, member: out.member, warnings, flagged: { ...out, warnings } };
}

/**
 * From this many readings the contextual detector splits its buildings
 * across threads: it spends several microseconds per reading, so a thread's
 * start and its slice's copy are won back well below the forest's 200,000.
 */
export const CONTEXTUAL_PARALLEL_MIN_ROWS = 50_000;

/** Threads for `rows` readings, or null for one thread (no worker script, one core, few rows or one building). */
export function contextualThreads(
  state: { scoreWorkerScript: string | null },
  input: ContextualInput,
  cores = availableParallelism(),
): ContextualThreads | null {
  const rows = input.time.length;
  if (!state.scoreWorkerScript || cores < 2 || rows < CONTEXTUAL_PARALLEL_MIN_ROWS || !input.groups) return null;
  return { workerScript: state.scoreWorkerScript, threads: Math.min(cores, Math.floor(rows / (CONTEXTUAL_PARALLEL_MIN_ROWS / 2))) };
}
