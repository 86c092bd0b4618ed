import { createRng } from '../../../src-main/core/data/rng';

/** n draws from N(mean, sd²) with a fixed seed. */
export function normal(n: number, seed: number, mean = 0, sd = 1): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + sd * rng.normal();
  return out;
}

/** n integers uniformly drawn from [0, k), optionally with extra weight on `heavy`. */
export function categories(n: number, seed: number, k: number, heavy = -1, heavyShare = 0): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = heavy >= 0 && rng.next() < heavyShare ? heavy : rng.int(k);
  return out;
}
