/**
 * Recall per labelled fault type: of the readings labelled with a type, the
 * share flagged. Types come from a category column (e.g. `anomaly_type`);
 * the normal class (named `normal`, `none` or empty) is skipped.
 */
const NORMAL = new Set(['normal', 'none', '', '0', 'ok']);

export function recallByType(flags: ArrayLike<number>, codes: Int32Array, dictionary: readonly string[]): Record<string, number> {
  const hit = new Float64Array(dictionary.length);
  const all = new Float64Array(dictionary.length);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c < 0) continue;
    all[c]!++;
    if (flags[i]) hit[c]!++;
  }
  const out: Record<string, number> = {};
  dictionary.forEach((name, c) => {
    if (!NORMAL.has(name.trim().toLowerCase()) && all[c]! > 0) out[name] = hit[c]! / all[c]!;
  });
  return out;
}
