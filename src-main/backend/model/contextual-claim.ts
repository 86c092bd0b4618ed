/**
 * The contextual detector's scoring on several threads, with slices claimed
 * rather than dealt in rounds (the CLI's score of 876,000 readings, issue 11).
 *
 * The input's columns are copied once into shared memory; the buildings are
 * cut into many slices (whole buildings each, as in contextual-parallel.ts)
 * and every thread, this one included, claims the next slice from a shared
 * counter, scores its rows (one range of the shared columns, laid out slice
 * by slice: sliceLayout) with core's scoreContextualPart and writes the
 * results straight into shared output arrays at the slice's rows.
 * So no thread waits for another at the end of a round, the model is sent to
 * a thread once (not once per round), no thread copies its slices' rows,
 * and nothing is put back in row order after. Results equal the
 * one-thread ones: the same core function runs on the same rows.
 *
 * The outputs are what a score request reads (ContextualFlags): scores, flags
 * and members of every row, the rest only at flagged rows (zero elsewhere).
 */
import type { ContextualInput, ContextualModel, MemberName } from '../../core/model/contextual/types';
import { scoreContextualPart, unseenWarnings } from '../../core/model/contextual/detector';
import { topContributions, type Contribution } from '../../core/model/contextual/importance';
import { MEMBERS } from '../../core/model/contextual/types';
import { buildingSlices, copyRowDetail, type ContextualFlags, type ContextualThreads } from './contextual-parallel';
import type { PartScores } from './contextual-task';
import { runOnThread } from './score-threads';
import { fromPlaces } from '../../core/model/contextual/places';
import { inputRange, laidOutSpace, shared, sliceLayout } from './slice-layout';

/**
 * Slices per thread: enough that the last one claimed is short (the thread
 * that finishes first waits for the other's last slice, ~3 buildings of a
 * year at 100 buildings), few enough that each is worth a claim.
 */
const SLICES_PER_THREAD = 16;

/** A thread's share of the work (score-worker.ts hands it to scoreClaimedSlices). */
export interface ContextualClaimRequest {
  kind: 'contextual-claim';
  model: ContextualModel;
  /** The input, its columns in shared memory in the slices' layout (sliceLayout): slice k is places [starts[k], starts[k + 1]). */
  input: ContextualInput;
  /** The input row at each place. */
  rows: Int32Array;
  starts: Int32Array;
  /**
   * [0]: the next unclaimed slice; [1]: rows scored so far (all threads); [2]: 0 while the thread that asked lays out
   * the rows (the request is posted first, so a helper reads it and the model meanwhile), 1 once they are laid out,
   * −1 if that failed (then nothing is scored).
   */
  counters: Int32Array;
  /** Scores, flags and members at each place: a slice writes one contiguous range; they are put in row order once, at the end. */
  placed: Pick<PartScores, 'scores' | 'flags' | 'member'>;
  /** The detail an explanation reads, at the flagged rows (in row order; its scores, flags and members are empty), if `flags` is 'detail'. */
  out: PartScores;
  flags: FlagNotes;
}

/**
 * What a score keeps about its flags beyond scores, flags and members: 'explained', each flag's top contributions
 * (for the explanation log), found on the thread that scored it; 'detail', what an explanation of it reads (members'
 * scores, expected loads, z, feature, rule) at its row; 'none', nothing (a request that logs no explanations).
 */
export type FlagNotes = 'explained' | 'detail' | 'none';

/** What a thread found besides the shared outputs: per slice, the buildings it did not know and each flag's top contributions. */
export interface SliceNotes {
  slice: number;
  unseen: string[];
  /** Row and top contributions of each flagged reading (empty unless the request's flags are 'explained'). */
  explained: [row: number, top: Contribution[]][];
}

export type ContextualClaimReply = { ok: true; notes: SliceNotes[] } | { ok: false; message: string };

const NEXT = 0;
const DONE = 1;
const LAID_OUT = 2;

function sharedScores(rows: number, meters: number): PartScores {
  const column = (): Float64Array => shared(Float64Array, rows);
  return {
    scores: shared(Float64Array, 0),
    flags: shared(Uint8Array, 0),
    member: shared(Uint8Array, 0),
    feature: shared(Int16Array, rows),
    rule: shared(Uint8Array, rows),
    memberScores: Object.fromEntries(MEMBERS.map((m) => [m, column()])) as Record<MemberName, Float64Array>,
    expected: Array.from({ length: meters }, column),
    z: Array.from({ length: meters }, column),
  };
}

/** Scores slice k into the shared outputs; returns its notes. */
function scoreSlice(request: ContextualClaimRequest, k: number): SliceNotes {
  const { model, input, out } = request;
  const from = request.starts[k]!;
  const to = request.starts[k + 1]!;
  const rows = request.rows.subarray(from, to);
  const part = inputRange(input, from, to);
  const { scores: s, unseen } = scoreContextualPart(model, part);
  const explained: SliceNotes['explained'] = [];
  if (request.flags === 'explained') {
    // What contextualFlagExplanations would find at the row: the reading's own scores and context, here at its place in the slice.
    const scored = { ...s, warnings: [] };
    for (let j = 0; j < rows.length; j++) if (s.flags[j]) explained.push([rows[j]!, topContributions(model, scored, part, j)]);
  }
  const meters = s.expected.length;
  request.placed.scores.set(s.scores, from);
  request.placed.flags.set(s.flags, from);
  request.placed.member.set(s.member, from);
  // The detail an explanation reads, only where there is a flag to explain, unless the flags are explained here already.
  if (request.flags === 'detail') for (let j = 0; j < rows.length; j++) if (s.flags[j]) copyRowDetail(out, s, j, rows[j]!, meters);
  Atomics.add(request.counters, DONE, rows.length);
  return { slice: k, unseen, explained };
}

/** Claims and scores slices until none is left; `after` runs after each (progress; it may throw to stop). */
export function scoreClaimedSlices(request: ContextualClaimRequest, after: () => void = () => undefined): SliceNotes[] {
  const slices = request.starts.length - 1;
  const notes: SliceNotes[] = [];
  // A helper may get here before the rows are laid out: it waits (a worker may block; the thread laying out never gets here first).
  while (Atomics.load(request.counters, LAID_OUT) === 0) Atomics.wait(request.counters, LAID_OUT, 0);
  if (Atomics.load(request.counters, LAID_OUT) < 0) return notes;
  for (let k = Atomics.add(request.counters, NEXT, 1); k < slices; k = Atomics.add(request.counters, NEXT, 1)) {
    const n = scoreSlice(request, k);
    if (n.unseen.length || n.explained.length) notes.push(n);
    after();
  }
  return notes;
}

/**
 * The request every thread shares (the slices' rows, the counters and the outputs in shared memory), and the
 * layout that fills its input: the request may be posted to the helpers first, and `layOut` (which returns
 * each row's place) tells them when the rows are in place, or that laying them out failed.
 */
export function claimRequest(
  model: ContextualModel,
  input: ContextualInput,
  slices: Int32Array[],
  flags: FlagNotes,
): { request: ContextualClaimRequest; layOut(): Int32Array } {
  const n = input.time.length;
  const space = laidOutSpace(input);
  const request: ContextualClaimRequest = {
    kind: 'contextual-claim',
    model,
    input: space.input,
    rows: shared(Int32Array, n),
    starts: shared(Int32Array, slices.length + 1),
    counters: shared(Int32Array, 3),
    placed: { scores: shared(Float64Array, n), flags: shared(Uint8Array, n), member: shared(Uint8Array, n) },
    // Only kept when asked for: 12 columns of every row in shared memory, each page written at a few flags.
    out: sharedScores(flags === 'detail' ? n : 0, input.meters.length),
    flags,
  };
  const layOut = (): Int32Array => {
    try {
      const { at } = sliceLayout(input, slices, request);
      space.fill(at);
      Atomics.store(request.counters, LAID_OUT, 1);
      return at;
    } catch (error) {
      Atomics.store(request.counters, LAID_OUT, -1);
      throw error;
    } finally {
      Atomics.notify(request.counters, LAID_OUT);
    }
  };
  return { request, layOut };
}

/**
 * ContextualFlags plus, when asked for ('explained'), each flag's top contributions by row (found by the thread that
 * scored it). `flagged` carries the detail only when asked for ('detail'); otherwise its detail arrays are empty.
 */
export type ClaimedFlags = ContextualFlags & { explained: Map<number, Contribution[]> | null };

/**
 * scoreContextualFlagsParallel's result (the one-thread scores, flags and
 * members, detail at flagged rows) from claimed slices. `progress` gets the
 * rows scored by all threads after each of this thread's slices; if it throws
 * (a cancel), no further slice is claimed and the call rejects with its error.
 */
export async function scoreContextualClaimed(
  model: ContextualModel,
  input: ContextualInput,
  options: ContextualThreads,
  progress?: (rowsDone: number, total: number) => void,
  /** What to keep about the flags (FlagNotes). */
  flags: FlagNotes = 'detail',
  /** `false` leaves every slice to the helper threads (tests use it to be sure they score). */
  onThisThread = true,
): Promise<ClaimedFlags> {
  const n = input.time.length;
  const { request, layOut } = claimRequest(model, input, buildingSlices(input, options.threads * SLICES_PER_THREAD), flags);
  const slices = request.starts.length - 1;
  // Posted before the rows are laid out: each helper reads the request and the model while this thread lays them out.
  const helpers = Array.from({ length: options.threads - 1 }, () => runOnThread<ContextualClaimReply>(options, request, []));
  // Awaited below, after this thread's slices; a failure must not surface as unhandled meanwhile.
  for (const p of helpers) p.catch(() => undefined);
  const at = layOut();
  let mine: SliceNotes[];
  try {
    mine = onThisThread ? scoreClaimedSlices(request, () => progress?.(Atomics.load(request.counters, DONE), n)) : [];
  } catch (error) {
    // Nothing more to claim: the helpers end after the slice they hold.
    Atomics.store(request.counters, NEXT, slices);
    throw error;
  }
  const notes = [...mine, ...(await Promise.all(helpers)).flatMap((r) => r.notes)];
  progress?.(n, n);
  // Buildings in code order (rows without an id first), as one thread lists them.
  const code = new Map((input.groups?.dictionary ?? []).map((d, i) => [d, i]));
  const unseen = notes.flatMap((u) => u.unseen).sort((a, b) => (code.get(a) ?? -1) - (code.get(b) ?? -1));
  const explained = flags === 'explained' ? new Map(notes.flatMap((u) => u.explained)) : null;
  const warnings = unseenWarnings(unseen);
  // Scores, flags and members in row order, out of shared memory: they go on to the log, the output file and other threads'
  // transfers.
  const { placed } = request;
  const own = { scores: new Float64Array(n), flags: new Uint8Array(n), member: new Uint8Array(n) };
  fromPlaces(own.scores, placed.scores, at);
  fromPlaces(own.flags, placed.flags, at);
  fromPlaces(own.member, placed.member, at);
  return { ...own, warnings, flagged: { ...request.out, ...own, warnings }, explained };
}
