/**
 * The forest's own seeded generator (sfc32 seeded through splitmix32).
 *
 * Kept inside the model folder on purpose: a model's trees are a pure function
 * of (data, params, seed), and that promise must not break because some other
 * module changed how it draws random numbers.
 */
export interface ForestRng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
}

export function createForestRng(seed: number): ForestRng {
  let s = seed >>> 0;
  const mix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32 needs a few rounds to decorrelate from the seed.
  for (let i = 0; i < 12; i++) u32();
  const next = (): number => u32() / 4294967296;
  return { next, int: (n) => Math.floor(next() * n) };
}
