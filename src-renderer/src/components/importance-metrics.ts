/**
 * A version's feature importance read back from its flat metrics (ARCHITECTURE §6b:
 * `importance_<f>` = mean share of the flags, `permutationImportance_<f>` = mean
 * |Δ score| with the feature shuffled, `member_<m>_led` = share of flags a member
 * raised). Forest and contextual versions store the same names.
 */
type Metrics = Record<string, number | null | undefined>;

export interface ImportanceRow {
  feature: string;
  attribution: number | null;
  permutation: number | null;
}

const num = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Features by attribution, largest first (then by permutation); empty for versions trained before importance existed. */
export function importanceRows(m: Metrics): ImportanceRow[] {
  const names = new Set<string>();
  for (const k of Object.keys(m)) {
    const hit = /^(?:importance|permutationImportance)_(.+)$/.exec(k);
    if (hit) names.add(hit[1]!);
  }
  return [...names]
    .map((feature) => ({
      feature,
      attribution: num(m[`importance_${feature}`]),
      permutation: num(m[`permutationImportance_${feature}`]),
    }))
    .sort(
      (a, b) =>
        (b.attribution ?? 0) - (a.attribution ?? 0) || (b.permutation ?? 0) - (a.permutation ?? 0) || (a.feature < b.feature ? -1 : 1),
    );
}

/** Share of flags each ensemble member raised (contextual versions), in stored order. */
export function memberLedShares(m: Metrics): Array<{ member: string; share: number }> {
  const out: Array<{ member: string; share: number }> = [];
  for (const [k, v] of Object.entries(m)) {
    const hit = /^member_([A-Za-z]+)_led$/.exec(k);
    const share = num(v);
    if (hit && share !== null) out.push({ member: hit[1]!, share });
  }
  return out;
}
