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
import type { ReferenceProfile } from '../../core/drift/profile';
import {
  emptyPass,
  fitBuildingPass,
  scoreContextualPart,
  unseenWarnings,
  type DayTyping,
  type PassArrays,
} from '../../core/model/contextual/detector';
import {
  MEMBERS,
  type BuildingModel,
  type ContextualInput,
  type ContextualModel,
  type ContextualScores,
  type ContextualSettings,
} from '../../core/model/contextual/types';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ContextualReply, ContextualTask, FitSlices, FittedSlice, PartScores, SharedSlices } from './contextual-task';
import { runOnThread } from './score-threads';
import { fromPlaces } from '../../core/model/contextual/places';
import { inputRange, sharedLaidOut, sliceLayout } from './slice-layout';

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

/** How many buildings the input holds (rows without an id count as one). */
export function buildingCount(input: ContextualInput): number {
  const codes = input.groups?.codes;
  if (!codes) return input.time.length ? 1 : 0;
  return new Set(codes).size;
}

/**
 * Slices of buildings per thread in a shared fit: small enough that the threads finish together, large enough to cost
 * nothing. 50: a year of 100 buildings is one building per slice, so the thread left waiting at the end of a fit waits
 * for at most one building (with 16, three: the worker sat idle for a tenth of a second at the end of each fit).
 */
const FIT_SLICES_PER_THREAD = 50;

/**
 * Claims slices (`next` counts the slices claimed by every thread) and fits
 * each one's buildings and their residual pass, until none is left. `input`
 * and `pass` are laid out by sliceLayout (shared memory): a slice reads its
 * places of the input in place and writes its pass at the same places, which
 * no other slice's overlap. Run by the calling thread and by the worker alike
 * (contextual-task.ts).
 */
export function fitClaimedSlices(
  input: ContextualInput,
  settings: ContextualSettings,
  slices: SharedSlices,
  pass: PassArrays,
  typing: DayTyping | null,
  done?: (buildings: number) => void,
): FittedSlice[] {
  const out: FittedSlice[] = [];
  const count = slices.starts.length - 1;
  for (let k = Atomics.add(slices.next, 0, 1); k < count; k = Atomics.add(slices.next, 0, 1)) {
    const from = slices.starts[k]!;
    const part = fitBuildingPass(inputRange(input, from, slices.starts[k + 1]!), settings, typing);
    placePass(pass, part.pass, from);
    out.push({ slice: k, buildings: part.buildings });
    done?.(part.buildings.length);
  }
  return out;
}

/**
 * fitBuildingPass over all buildings on `options.threads` threads: the
 * buildings are dealt into small slices that the calling thread and a worker
 * claim from a shared counter as each becomes free, so both work to the end
 * whatever else they were given first — `first` on this thread (the fleet
 * baseline, say) and `reference` on the worker (the drift reference profile).
 * Results equal fitBuildingPass on the whole input: buildings in the input's
 * building order, the pass at every row of a building with its own baseline.
 */
export async function fitBuildingPassParallel<F>(
  input: ContextualInput,
  settings: ContextualSettings,
  options: ContextualThreads,
  extra: {
    progress?: (buildingsDone: number) => void;
    first?: () => F;
    reference?: Record<string, Float64Array> | null;
  } = {},
): Promise<BuildingPassResult<F>> {
  return startBuildingPass(input, settings, options, extra.reference ?? null, null).join(extra.first, extra.progress);
}

export interface BuildingPassResult<F> {
  buildings: BuildingModel[];
  /** In row order; with `places`, only z is (the other arrays are as the slices laid them out: Prefitted.places). */
  pass: PassArrays;
  places: Int32Array | null;
  first: F | undefined;
  reference: ReferenceProfile | null;
}

/**
 * A fitBuildingPassParallel (with `typing`: fitBuildingPass's) whose worker claims slices from the start while
 * this thread does other work (the holdout's evaluation, say): `join` makes
 * this thread run `first` and claim what is left; `stop` leaves the worker no
 * more to claim (after a failure here, when `join` will not be called).
 * Progress is reported from `join` on, the worker's slices done before included.
 */
export interface StartedBuildingPass {
  /**
   * `beforeReorder`, given, is handed the buildings once every slice is fitted, before this thread puts the pass
   * back in row order: work for the free worker (another fit started) begins then, not after the reorder.
   */
  join<F>(
    first?: () => F,
    progress?: (buildingsDone: number) => void,
    beforeReorder?: (buildings: BuildingModel[]) => void,
    onlyZ?: boolean,
  ): Promise<BuildingPassResult<F>>;
  stop(): void;
}

/**
 * A shared fit's input laid out in shared memory (sliceLayout, sharedLaidOut) before any thread fits it: laying out
 * a year of 100 buildings takes a tenth of a second, which a caller may spend while the worker is busy with other
 * work rather than when the worker waits for the fit (startPreparedPass).
 */
export interface PreparedBuildingPass {
  input: ContextualInput;
  sliceRows: Int32Array[];
  shared: ContextualInput;
  starts: Int32Array;
  at: Int32Array;
  placed: PassArrays;
}

export function prepareBuildingPass(input: ContextualInput, options: Pick<ContextualThreads, 'threads'>): PreparedBuildingPass {
  const sliceRows = buildingSlices(input, options.threads * FIT_SLICES_PER_THREAD);
  const { starts, at } = sliceLayout(input, sliceRows);
  // The columns a building fit reads (the stuck-rule candidates are not among them), slice by slice.
  const shared = sharedLaidOut({ ...input, stuckColumns: [] }, at);
  // Not filled: the slices cover every place, and each slice's pass (emptyPass values at rows of buildings left
  // to the fleet included) is written over its places.
  const placed = emptyPass(input.time.length, input.meters.length, sharedMemory, false);
  return { input, sliceRows, shared, starts, at, placed };
}

const sharedMemory = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);

export function startBuildingPass(
  input: ContextualInput,
  settings: ContextualSettings,
  options: ContextualThreads,
  reference: Record<string, Float64Array> | null,
  typing: DayTyping | null,
): StartedBuildingPass {
  return startPreparedPass(prepareBuildingPass(input, options), settings, options, reference, typing);
}

/** startBuildingPass of an input laid out already (prepareBuildingPass); a prepared input serves one pass only. */
export function startPreparedPass(
  prepared: PreparedBuildingPass,
  settings: ContextualSettings,
  options: ContextualThreads,
  reference: Record<string, Float64Array> | null,
  typing: DayTyping | null,
): StartedBuildingPass {
  const slices = claimCounter(prepared);
  const posted = postFit(settings, options, reference, typing, { input: prepared.shared, slices, pass: prepared.placed });
  return startedPass(prepared, slices, settings, typing, posted);
}

/**
 * A shared fit whose worker starts now, before its input is laid out: the worker builds `reference` meanwhile
 * (the drift reference profile, about half a second on a year of 100 buildings, which it spent idle while this
 * thread prepared the fit) and then waits for `attach`'s input. `abandon` (after a failure here) releases it.
 */
export interface EarlyBuildingPass {
  attach(prepared: PreparedBuildingPass): StartedBuildingPass;
  /** Resolves once the worker has answered (with the reference profile and no slices) and is free again. */
  abandon(): Promise<void>;
}

export function startEarlyPass(
  settings: ContextualSettings,
  options: ContextualThreads,
  reference: Record<string, Float64Array> | null,
  typing: DayTyping | null,
): EarlyBuildingPass {
  const { port1, port2 } = new MessageChannel();
  const ready = new Int32Array(new SharedArrayBuffer(4));
  const posted = postFit(settings, options, reference, typing, null, { ready, port: port2 });
  let sent = false;
  const send = (fit: FitSlices | null): void => {
    if (sent) throw new Error('the early fit was attached or abandoned already');
    sent = true;
    // Queued on the worker's port before `ready` is set, so the worker finds it when it wakes.
    port1.postMessage(fit);
    port1.close();
    Atomics.store(ready, 0, 1);
    Atomics.notify(ready, 0);
  };
  return {
    attach(prepared) {
      const slices = claimCounter(prepared);
      send({ input: prepared.shared, slices, pass: prepared.placed });
      return startedPass(prepared, slices, settings, typing, posted);
    },
    abandon() {
      send(null);
      return posted.worker.then(() => undefined);
    },
  };
}

function claimCounter(prepared: PreparedBuildingPass): SharedSlices {
  return { starts: prepared.starts, next: new Int32Array(new SharedArrayBuffer(4)) };
}

/** A contextual-fit request on its way to a worker, and the worker's progress so far. */
interface PostedFit {
  worker: Promise<Extract<ContextualReply, { ok: true }>>;
  /** Buildings the worker has fitted; `onProgress` is called on each report. */
  progress: { theirs: number; onProgress: (() => void) | null };
}

function postFit(
  settings: ContextualSettings,
  options: ContextualThreads,
  reference: Record<string, Float64Array> | null,
  typing: DayTyping | null,
  fit: FitSlices | null,
  later: { ready: Int32Array; port: MessagePort } | null = null,
): PostedFit {
  const progress: PostedFit['progress'] = { theirs: 0, onProgress: null };
  const request: ContextualTask = fit
    ? { task: 'contextual-fit', settings, reference, typing, later: null, ...fit }
    : { task: 'contextual-fit', settings, reference, typing, later: later! };
  // One extra thread: the machines this targets have two cores, and more would wait for a core.
  const worker = runOnThread<ContextualReply>(options, request, later ? [later.port] : [], {
    onProgress: (buildings) => {
      progress.theirs = buildings;
      progress.onProgress?.();
    },
  });
  // A worker that fails to start rejects later; catch now so an error here does not leave it unhandled.
  worker.catch(() => undefined);
  return { worker, progress };
}

function startedPass(
  prepared: PreparedBuildingPass,
  slices: SharedSlices,
  settings: ContextualSettings,
  typing: DayTyping | null,
  posted: PostedFit,
): StartedBuildingPass {
  const { input, sliceRows, shared, at, placed } = prepared;
  let mine = 0;
  let progress: ((buildingsDone: number) => void) | undefined;
  const report = (): void => progress?.(mine + posted.progress.theirs);
  posted.progress.onProgress = report;
  const stop = (): void => void Atomics.store(slices.next, 0, sliceRows.length);
  return {
    stop,
    async join<F>(
      first?: () => F,
      onProgress?: (buildingsDone: number) => void,
      beforeReorder?: (buildings: BuildingModel[]) => void,
      onlyZ = false,
    ): Promise<BuildingPassResult<F>> {
      progress = onProgress;
      let parts: FittedSlice[];
      let firstResult: F | undefined;
      try {
        if (posted.progress.theirs > 0) report();
        firstResult = first?.();
        parts = fitClaimedSlices(shared, settings, slices, placed, typing, (b) => {
          mine += b;
          report();
        });
      } catch (error) {
        // A cancel (or a failure) here: leave the worker no slice to claim, so it stops after its current one.
        stop();
        throw error;
      }
      const reply = await posted.worker;
      if (reply.task !== 'contextual-fit') throw new Error('contextual worker answered another task');
      parts.push(...reply.parts);
      parts.sort((x, y) => x.slice - y.slice);
      if (parts.length !== sliceRows.length) throw new Error(`${parts.length} of ${sliceRows.length} slices of buildings were fitted`);
      // fitBuildingModels orders by code (rows without an id, code −1, first); so must the union.
      const rank = codeRank(input);
      const buildings = parts.flatMap((p) => p.buildings).sort((x, y) => rank(x.id) - rank(y.id));
      beforeReorder?.(buildings);
      // `onlyZ`: the scaled residuals alone in row order (the forest's columns), the rest left where the slices put
      // them (read at rows through `places`), when every building has its own baseline (a fleet building's pass is
      // written later, in row order).
      if (onlyZ && buildings.every((b) => b.meters !== null)) {
        const z = placed.z.map((p) => {
          const out = new Float64Array(sharedMemory(8 * input.time.length));
          fromPlaces(out, p, at);
          return out;
        });
        return { buildings, pass: { ...placed, z }, places: at, first: firstResult, reference: reply.reference };
      }
      const pass = emptyPass(input.time.length, input.meters.length, sharedMemory, false);
      passInRowOrder(pass, placed, at);
      return { buildings, pass, places: null, first: firstResult, reference: reply.reference };
    },
  };
}

/** A slice's residual pass written at its places, from `from` on. */
function placePass(out: PassArrays, part: PassArrays, from: number): void {
  out.slot.set(part.slot, from);
  for (let m = 0; m < out.expected.length; m++) {
    out.expected[m]!.set(part.expected[m]!, from);
    out.z[m]!.set(part.z[m]!, from);
    out.sustained[m]!.set(part.sustained[m]!, from);
    out.jump[m]!.set(part.jump[m]!, from);
  }
}

/** The placed pass in row order (`at[i]`: row i's place), column by column (fromPlaces). */
function passInRowOrder(out: PassArrays, placed: PassArrays, at: Int32Array): void {
  fromPlaces(out.slot, placed.slot, at);
  for (let m = 0; m < out.expected.length; m++) {
    fromPlaces(out.expected[m]!, placed.expected[m]!, at);
    fromPlaces(out.z[m]!, placed.z[m]!, at);
    fromPlaces(out.sustained[m]!, placed.sustained[m]!, at);
    fromPlaces(out.jump[m]!, placed.jump[m]!, at);
  }
}

/** A building id's code in the input's dictionary (−1 for rows without an id), to restore one-thread order. */
function codeRank(input: ContextualInput): (id: string) => number {
  const code = new Map((input.groups?.dictionary ?? []).map((d, i) => [d, i]));
  return (id) => code.get(id) ?? -1;
}

function scatter<T extends Float64Array | Uint8Array | Int16Array | Int32Array>(out: T, part: T, rows: Int32Array): void {
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
    for (let k = 0; k < r.length; k++) if (detail === 'all' || s.flags[k]) copyRowDetail(out, s, k, r[k]!, meters);
  });
  return out;
}

/** A scored row's detail (feature, rule, member scores, expected load, residual) from row `k` of a part to row `i` of the whole. */
export function copyRowDetail(out: PartScores, s: PartScores, k: number, i: number, meters: number): void {
  out.feature[i] = s.feature[k]!;
  out.rule[i] = s.rule[k]!;
  for (const m of MEMBERS) out.memberScores[m][i] = s.memberScores[m][k]!;
  for (let m = 0; m < meters; m++) {
    out.expected[m]![i] = s.expected[m]![k]!;
    out.z[m]![i] = s.z[m]![k]!;
  }
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
  return contextualThreadsFor(state, input.time.length, input.groups !== null, cores);
}

/** contextualThreads for an input of `rows` readings, with building ids or not, before it is built. */
export function contextualThreadsFor(
  state: { scoreWorkerScript: string | null },
  rows: number,
  grouped: boolean,
  cores = availableParallelism(),
): ContextualThreads | null {
  if (!state.scoreWorkerScript || cores < 2 || rows < CONTEXTUAL_PARALLEL_MIN_ROWS || !grouped) return null;
  return { workerScript: state.scoreWorkerScript, threads: Math.min(cores, Math.floor(rows / (CONTEXTUAL_PARALLEL_MIN_ROWS / 2))) };
}
