/**
 * Slices of buildings laid out in shared memory slice by slice, building by
 * building, so a thread reads its slice's rows in place (one range of every
 * column) instead of gathering them: the data files are sorted by time, so a
 * building's rows sit one in every hundred and a gather misses the cache at
 * every reading. Used by the contextual scoring (contextual-claim.ts) and the
 * shared building fit (contextual-parallel.ts); core/model/contextual/places.ts
 * puts a laid-out column back in row order.
 */
import type { ContextualInput } from '../../core/model/contextual/types';

/** A zeroed typed array in shared memory. */
export function shared<T extends Float64Array | Int32Array | Int16Array | Uint8Array>(
  kind: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new kind(new SharedArrayBuffer(length * kind.BYTES_PER_ELEMENT));
}

/**
 * Where each slice's rows go in shared memory: slice after slice, each
 * slice's buildings in code order (rows without an id first), each
 * building's rows in input order. A slice's input is then one contiguous
 * range of every column, which a thread reads in place; gathering a
 * building's rows from a file sorted by time (one reading in every hundred
 * rows) cost more than scoring some of them. The rows of one building keep
 * their order and core fits and scores every building from its own rows, so
 * the results are the ones of the slice's rows in input order.
 */
export function sliceLayout(
  input: ContextualInput,
  slices: Int32Array[],
  /** Where to write `rows` and `starts` (shared memory of n and slices + 1 entries, handed to threads already); new by default. */
  into: { rows: Int32Array; starts: Int32Array } | null = null,
): { rows: Int32Array; starts: Int32Array; at: Int32Array } {
  const n = input.time.length;
  const codes = input.groups?.codes ?? null;
  const rows = into?.rows ?? shared(Int32Array, n);
  const starts = into?.starts ?? shared(Int32Array, slices.length + 1);
  if (rows.length !== n || starts.length !== slices.length + 1)
    throw new Error(`a layout of ${n} rows in ${slices.length} slices does not fit`);
  // at[i]: the place of row i. Without ids there is one building, hence one slice, in input order.
  const at = new Int32Array(n);
  if (!codes) {
    for (let i = 0; i < n; i++) rows[i] = at[i] = i;
    starts[slices.length] = n;
    return { rows, starts, at };
  }
  // Per code (shifted by one, so −1 is 0): its slice and its first place.
  const buildings = input.groups!.dictionary.length + 1;
  const sliceOf = new Int32Array(buildings).fill(-1);
  const first = new Int32Array(buildings);
  slices.forEach((s, k) => {
    for (let j = 0; j < s.length; j++) {
      const c = codes[s[j]!]! + 1;
      sliceOf[c] = k;
      first[c]!++;
    }
  });
  let place = 0;
  for (let k = 0; k < slices.length; k++) {
    starts[k] = place;
    for (let c = 0; c < buildings; c++) {
      if (sliceOf[c] !== k) continue;
      const count = first[c]!;
      first[c] = place;
      place += count;
    }
  }
  starts[slices.length] = place;
  for (let i = 0; i < n; i++) {
    const p = first[codes[i]! + 1]!++;
    rows[p] = i;
    at[i] = p;
  }
  return { rows, starts, at };
}

/** The input in shared memory in the slices' layout (`at[i]`: row i's place), each distinct column once (a meter may also be a stuck-rule column). */
export function sharedLaidOut(input: ContextualInput, at: Int32Array): ContextualInput {
  const space = laidOutSpace(input);
  space.fill(at);
  return space.input;
}

/**
 * sharedLaidOut's shared memory (zeros), and the copy that fills it: threads handed the input may start (a worker
 * reads its request and the model) while this thread lays out the rows.
 */
export function laidOutSpace(input: ContextualInput): { input: ContextualInput; fill(at: Int32Array): void } {
  const n = input.time.length;
  const copies = new Map<Float64Array, Float64Array>();
  const space = (a: Float64Array): Float64Array => {
    let c = copies.get(a);
    if (!c) {
      c = shared(Float64Array, n);
      copies.set(a, c);
    }
    return c;
  };
  const laid: ContextualInput = {
    time: space(input.time),
    groups: input.groups && { codes: shared(Int32Array, n), dictionary: input.groups.dictionary },
    temperature: input.temperature && space(input.temperature),
    meters: input.meters.map(space),
    stuckColumns: input.stuckColumns.map(space),
  };
  const fill = (at: Int32Array): void => {
    if (at.length !== n) throw new Error(`${at.length} places for ${n} rows`);
    // Read in input order, written to each building's run: a gather in the other direction misses the cache at every read.
    for (const [a, c] of copies) for (let i = 0; i < n; i++) c[at[i]!] = a[i]!;
    if (input.groups && laid.groups) {
      const from = input.groups.codes;
      const codes = laid.groups.codes;
      for (let i = 0; i < n; i++) codes[at[i]!] = from[i]!;
    }
  };
  return { input: laid, fill };
}

/** Places [from, to) of the shared input: views, not copies (core only reads its input). */
export function inputRange(input: ContextualInput, from: number, to: number): ContextualInput {
  const views = new Map<Float64Array, Float64Array>();
  const view = (a: Float64Array): Float64Array => {
    let v = views.get(a);
    if (!v) {
      v = a.subarray(from, to);
      views.set(a, v);
    }
    return v;
  };
  return {
    time: view(input.time),
    groups: input.groups && { codes: input.groups.codes.subarray(from, to), dictionary: input.groups.dictionary },
    temperature: input.temperature && view(input.temperature),
    meters: input.meters.map(view),
    stuckColumns: input.stuckColumns.map(view),
  };
}
