import { createRng } from '../data/rng';

/**
 * Indices (ascending) of a uniform k-subset of the rows 0 … n−1 that `keep`
 * accepts (all when omitted): Algorithm R over those rows with a seeded
 * generator, so one seed draws the same rows everywhere. All of them when
 * fewer than k are accepted.
 *
 * Uniform rather than every k-th: readings logged hour by hour for a fleet
 * repeat with the fleet's size, and every 2nd of 100 buildings is 50 of the
 * buildings, all hours long.
 */
export function sampleRows(n: number, k: number, seed: number, keep?: (row: number) => boolean): Int32Array {
  const out = new Int32Array(Math.max(0, k));
  const rng = createRng(seed);
  let seen = 0;
  for (let i = 0; i < n; i++) {
    if (keep && !keep(i)) continue;
    if (seen < k) out[seen] = i;
    else {
      const j = rng.int(seen + 1);
      if (j < k) out[j] = i;
    }
    seen++;
  }
  return out.subarray(0, Math.min(seen, k)).sort();
}
