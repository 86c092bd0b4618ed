/**
 * A column laid out slice by slice, building by building (the backend's sliceLayout: `at[i]` is row i's place)
 * back in row order. Read in row order, each building's places in turn: a hundred buildings are a hundred runs
 * read forward, where scattering each slice's results to its rows missed the cache at every write. Used by the
 * shared fit and score (backend/model/slice-layout.ts) and by a fit handed such a pass (detector.ts).
 */
export function fromPlaces<T extends Float64Array | Int32Array | Uint8Array>(out: T, placed: T, at: Int32Array): void {
  for (let i = 0; i < at.length; i++) out[i] = placed[at[i]!]!;
}
