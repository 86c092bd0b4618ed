/**
 * Sorting of float64 data for the drift statistics.
 *
 * The built-in `Float64Array.prototype.sort` costs ~150-230 ms per million
 * values in V8, which alone would blow the KS budget (two sorts of 1e6 in
 * < 0.4 s). An LSD radix sort on the IEEE-754 bit pattern does the same job in
 * six linear passes (about 60 ms per million on an idle core), so large inputs
 * take that route.
 */

/**
 * Below this size the built-in sort is used. It wins outright below ~4k values (no count tables or scratch buffers
 * to set up); up to here it also wins in a fresh process, where the radix loops still run as cold code: a CLI
 * command's health check sorted seven 10k-value windows in ~30 ms that way against ~5 ms with the built-in sort.
 */
const RADIX_MIN_LENGTH = 65_536;
/** Six passes of 11/11/10 bits per 32-bit word: 2048-entry tables keep the scatter cache-friendly. */
const PASSES: ReadonlyArray<{ hi: boolean; shift: number; mask: number }> = [
  { hi: false, shift: 0, mask: 0x7ff },
  { hi: false, shift: 11, mask: 0x7ff },
  { hi: false, shift: 22, mask: 0x3ff },
  { hi: true, shift: 0, mask: 0x7ff },
  { hi: true, shift: 11, mask: 0x7ff },
  { hi: true, shift: 22, mask: 0x3ff },
];
const BUCKETS = 2048;

/**
 * Scratch key buffers kept between calls: a drift report sorts twenty columns
 * of 1e6 values, and allocating (and zero-filling) 32 MB per sort is a
 * noticeable share of the time. Only the largest size seen is retained.
 */
let scratchA = new Uint32Array(0);
let scratchB = new Uint32Array(0);

/** Frees the retained scratch buffers (e.g. after a large batch job). */
export function releaseSortScratch(): void {
  scratchA = new Uint32Array(0);
  scratchB = new Uint32Array(0);
}

/**
 * Copy of the finite values of `values`, sorted ascending. NaN and ±Infinity
 * are dropped: every caller treats them as missing readings, and the radix
 * ordering of negative NaN would otherwise differ from the built-in sort.
 */
export function sortFinite(values: ArrayLike<number>): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) count++;
  const out = new Float64Array(count);
  for (let i = 0, j = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out[j++] = v;
  }
  sortInPlace(out);
  return out;
}

/** Sorts a NaN-free Float64Array ascending, in place. Returns the same array. */
export function sortInPlace(values: Float64Array): Float64Array {
  // A stored profile's sample is kept sorted: every health check re-sorted it (~30 ms of a CLI score's alert check, cold).
  if (inSortedOrder(values)) return values;
  if (values.length < RADIX_MIN_LENGTH) return values.sort();
  radixSort(values);
  return values;
}

/**
 * True when sorting would leave `values` exactly as they are: ascending, no
 * NaN, and -0 before +0 where they meet (both sorts put -0 first), so the
 * only order a sort can produce is this one, bit for bit.
 */
export function inSortedOrder(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) {
    const a = values[i - 1]!;
    const b = values[i]!;
    if (a < b) continue;
    if (a !== b || (a === 0 && Object.is(b, -0) && !Object.is(a, -0))) return false;
  }
  return true;
}

/** True when `values` is ascending (non-decreasing); used to validate inputs cheaply. */
export function isSorted(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) if (values[i - 1]! > values[i]!) return false;
  return true;
}

/**
 * The float is mapped to an unsigned key whose integer order is the numeric
 * order: positive numbers get the sign bit set, negative numbers have every bit
 * flipped. Keys are kept as (hi, lo) uint32 pairs and moved along with the
 * values, digit by digit from least to most significant.
 *
 * Each long loop is its own small function: in a fresh process (a CLI command
 * sorts once) the loops start interpreted and V8 compiles the function around
 * whichever loop is hot; one big function was compiled again for each loop
 * and a cold sort of 200,000 scores took ~33 ms, against ~15 ms split up
 * (~9 ms warm either way).
 */
function radixSort(values: Float64Array): void {
  const n = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  // Keys interleaved as [lo0, hi0, lo1, hi1, ...] so each scatter writes one cache line.
  if (scratchA.length < n * 2) {
    scratchA = new Uint32Array(n * 2);
    scratchB = new Uint32Array(n * 2);
  }
  let src = scratchA;
  let dst = scratchB;
  const counts = new Uint32Array(BUCKETS * PASSES.length);
  keysAndCounts(bits, src, counts, 2 * n);
  for (let pass = 0; pass < PASSES.length; pass++) {
    const { hi: useHi, shift, mask } = PASSES[pass]!;
    const base = pass * BUCKETS;
    // A digit shared by every key (e.g. the exponent bits of similar readings)
    // would just copy the arrays, so skip the pass.
    if (oneBucket(counts, base, mask, n)) continue;
    let sum = 0;
    for (let b = 0; b <= mask; b++) {
      const c = counts[base + b]!;
      counts[base + b] = sum;
      sum += c;
    }
    scatter(src, dst, counts, base, useHi ? 1 : 0, shift, mask, 2 * n);
    const t = src;
    src = dst;
    dst = t;
  }
  unkey(src, bits, 2 * n);
}

/** Writes the keys of `bits` to `keys` and counts the digits of all six passes at once. */
function keysAndCounts(bits: Uint32Array, keys: Uint32Array, counts: Uint32Array, words: number): void {
  for (let i = 0; i < words; i += 2) {
    let lo = bits[i]!;
    let hi = bits[i + 1]!;
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
    } else {
      hi = (hi | 0x80000000) >>> 0;
    }
    keys[i] = lo;
    keys[i + 1] = hi;
    counts[lo & 0x7ff]!++;
    counts[BUCKETS + ((lo >>> 11) & 0x7ff)]!++;
    counts[2 * BUCKETS + (lo >>> 22)]!++;
    counts[3 * BUCKETS + (hi & 0x7ff)]!++;
    counts[4 * BUCKETS + ((hi >>> 11) & 0x7ff)]!++;
    counts[5 * BUCKETS + (hi >>> 22)]!++;
  }
}

/** True when every key has the same digit in this pass. */
function oneBucket(counts: Uint32Array, base: number, mask: number, n: number): boolean {
  for (let b = 0; b <= mask; b++) {
    const c = counts[base + b]!;
    if (c !== 0) return c === n;
  }
  return false;
}

/** One stable pass: each key pair to its digit's next slot (`counts` holds the starts, and moves on). */
function scatter(
  src: Uint32Array,
  dst: Uint32Array,
  counts: Uint32Array,
  base: number,
  word: number,
  shift: number,
  mask: number,
  words: number,
): void {
  for (let i = 0; i < words; i += 2) {
    const pos = 2 * counts[base + ((src[i + word]! >>> shift) & mask)]!++;
    dst[pos] = src[i]!;
    dst[pos + 1] = src[i + 1]!;
  }
}

/** The sorted keys back to floats, into `bits`. */
function unkey(keys: Uint32Array, bits: Uint32Array, words: number): void {
  for (let i = 0; i < words; i += 2) {
    const lo = keys[i]!;
    const hi = keys[i + 1]!;
    if (hi & 0x80000000) {
      bits[i + 1] = (hi & 0x7fffffff) >>> 0;
      bits[i] = lo;
    } else {
      bits[i + 1] = ~hi >>> 0;
      bits[i] = ~lo >>> 0;
    }
  }
}
