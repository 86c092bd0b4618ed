/**
 * What drives a contextual version's flags (ARCHITECTURE §6b "Importance"):
 * per flagged reading, the share each feature carried (the explanation log
 * stores the top ones), averaged into a global attribution over the
 * evaluation rows, and permutation importance of the anomaly score.
 *
 * A reading's shares follow the member that raised it:
 *   rules      the meter or stuck column the rule fired on carries it all;
 *   sustained  the meter whose trailing residual mean was highest carries it all;
 *   residual   the meters' positive scaled residuals, in proportion;
 *   forest     the context forest's own isolation shares over its inputs
 *              (each meter's residual, hour, weekday, temperature).
 */
import { createRng } from '../../data/rng';
import { roundFixed } from '../../stats/fixed';
import { featureShares } from '../explain';
import { scoreContextual } from './detector';
import { hourOfWeek } from './towt';
import { MEMBERS, type ContextualInput, type ContextualModel, type ContextualScores, type MemberName } from './types';

/** Contributions kept per flagged reading in the explanation log. */
export const TOP_CONTRIBUTIONS = 3;
/** Readings the permutation importance rescores per shuffle (whole buildings, so rules and windows see real sequences). */
export const PERMUTATION_ROWS = 10_000;

export type Contribution = [feature: string, share: number];

/** What shares need of the scored readings besides the scores: their time and temperature (a ContextualInput has both). */
export type ScoredContext = Pick<ContextualInput, 'time' | 'temperature'>;

/** The forest member's inputs as names a person knows (its z_<meter> columns are the meters'). */
function forestInputNames(model: ContextualModel): string[] {
  return [...model.meters, 'hour', 'weekday', model.temperature ?? 'temperature'];
}

/** The temperature the forest saw for a missing one (as scoreContextualPart fills it). */
function forestFillTemperature(model: ContextualModel): number {
  return model.buildings.find((b) => b.meters)?.meters![0]!.towt.fillTemp ?? model.fleet[0]?.towt.fillTemp ?? 0;
}

/**
 * Every feature's share of reading i's score (they sum to 1), by the member that
 * raised it; `input` is what was scored (for the forest's hour and temperature).
 */
export function readingShares(model: ContextualModel, s: ContextualScores, input: ScoredContext, i: number): Map<string, number> {
  const out = new Map<string, number>();
  const add = (name: string, v: number): void => {
    if (v > 0) out.set(name, (out.get(name) ?? 0) + v);
  };
  const driver = s.feature[i]!;
  const driverName = driver < model.meters.length ? model.meters[driver] : model.stuckColumns[driver - model.meters.length];
  const member = MEMBERS[s.member[i]!]!;
  if (member === 'forest') {
    const how = Number.isFinite(input.time[i]!) ? hourOfWeek(input.time[i]!) : 0;
    // The forest's columns (detector.ts forestColumns): clipped z per meter, hour of day, weekday, temperature.
    const row = [
      ...model.meters.map((_, m) => {
        const z = s.z[m]![i]!;
        return Number.isFinite(z) ? Math.max(-20, Math.min(20, z)) : 0;
      }),
      how % 24,
      Math.floor(how / 24),
      input.temperature && Number.isFinite(input.temperature[i]!) ? input.temperature[i]! : forestFillTemperature(model),
    ];
    const shares = featureShares(model.forest, row);
    forestInputNames(model).forEach((name, j) => add(name, shares[j]!));
  } else if (member === 'residual') {
    model.meters.forEach((name, m) => add(name, s.z[m]![i]!));
  }
  if (out.size === 0 && driverName) out.set(driverName, 1); // rules, sustained, or nothing positive to share
  const sum = [...out.values()].reduce((a, b) => a + b, 0);
  for (const [k, v] of out) out.set(k, v / sum);
  return out;
}

/** The largest contributions of reading i, shares to 4 decimals, largest first. */
export function topContributions(
  model: ContextualModel,
  s: ContextualScores,
  input: ScoredContext,
  i: number,
  top = TOP_CONTRIBUTIONS,
): Contribution[] {
  const member = MEMBERS[s.member[i]!];
  // A rule or the sustained member: the feature it fired on carries the whole score (readingShares' answer, without its map).
  if (member === 'rules' || member === 'sustained') {
    const driver = s.feature[i]!;
    const name = driver < model.meters.length ? model.meters[driver] : model.stuckColumns[driver - model.meters.length];
    return name && top >= 1 ? [[name, 1]] : [];
  }
  // The common case on the scoring path (every flag of a logged request): the residual member, as plain arrays.
  if (member === 'residual' && model.meters.length <= 8) {
    const parts: Contribution[] = [];
    let sum = 0;
    for (let m = 0; m < model.meters.length; m++) {
      const z = s.z[m]![i]!;
      if (z > 0) {
        parts.push([model.meters[m]!, z]);
        sum += z;
      }
    }
    if (sum > 0)
      return rounded(
        parts.map(([f, v]): Contribution => [f, v / sum]),
        top,
      );
  }
  return rounded([...readingShares(model, s, input, i)], top);
}

function rounded(parts: Contribution[], top: number): Contribution[] {
  return parts
    .map(([f, v]): Contribution => [f, roundFixed(v, 4)])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top);
}

export interface ContextualImportance {
  /** Mean share per feature over the flagged readings (sums to 1 when any is flagged). */
  attribution: Map<string, number>;
  /** Share of the flagged readings each member raised. */
  members: Record<MemberName, number>;
  flagged: number;
  /** Mean |Δ score| with the feature shuffled within each building, per feature the model reads. */
  permutation: Map<string, number>;
  /** Readings the permutation rescored. */
  rows: number;
}

/** Rows where keep[i] is 1 (ids keep their dictionary). */
function rowsOf(input: ContextualInput, keep: Uint8Array): ContextualInput {
  const idx: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) idx.push(i);
  const f64 = (a: Float64Array): Float64Array => Float64Array.from(idx, (i) => a[i]!);
  return {
    time: f64(input.time),
    groups: input.groups && { codes: Int32Array.from(idx, (i) => input.groups!.codes[i]!), dictionary: input.groups.dictionary },
    temperature: input.temperature && f64(input.temperature),
    meters: input.meters.map(f64),
    stuckColumns: input.stuckColumns.map(f64),
  };
}

/** Whole buildings, drawn in a seeded order, until `budget` readings are taken (at least one building). */
function sampleBuildings(input: ContextualInput, budget: number, seed: number): ContextualInput {
  const n = input.time.length;
  if (n <= budget || !input.groups) return input;
  const codes = input.groups.codes;
  const count = new Map<number, number>();
  for (let i = 0; i < n; i++) count.set(codes[i]!, (count.get(codes[i]!) ?? 0) + 1);
  const order = [...count.keys()].sort((a, b) => a - b);
  const rng = createRng(seed ^ 0x5eed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const chosen = new Set<number>();
  let taken = 0;
  for (const c of order) {
    if (taken >= budget) break;
    chosen.add(c);
    taken += count.get(c)!;
  }
  return rowsOf(
    input,
    Uint8Array.from(codes, (c) => (chosen.has(c) ? 1 : 0)),
  );
}

/** Each building's values of one column shuffled among that building's readings (seeded). */
function shuffledWithinBuildings(values: Float64Array, codes: Int32Array | null, seed: number): Float64Array {
  const rng = createRng(seed);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < values.length; i++) {
    const c = codes ? codes[i]! : 0;
    let g = groups.get(c);
    if (!g) groups.set(c, (g = []));
    g.push(i);
  }
  const out = Float64Array.from(values);
  for (const rows of groups.values()) {
    for (let k = rows.length - 1; k > 0; k--) {
      const j = rng.int(k + 1);
      const a = rows[k]!;
      const b = rows[j]!;
      const t = out[a]!;
      out[a] = out[b]!;
      out[b] = t;
    }
  }
  return out;
}

/** The columns the model reads, by name: meters, stuck-rule columns and the temperature (a name may fill several roles). */
export function columnsRead(model: ContextualModel): string[] {
  return [...new Set([...model.meters, ...model.stuckColumns, ...(model.temperature ? [model.temperature] : [])])];
}

/**
 * Global importance over evaluation readings `input` as scored (`scores`):
 * attribution over its flagged readings, member shares, and permutation
 * importance — each column the model reads shuffled within each building
 * (so a building's level stays its own) and the whole sample rescored.
 * Seeded: the same data and seed give the same figures.
 */
export function contextualImportance(
  model: ContextualModel,
  input: ContextualInput,
  scores: ContextualScores,
  seed: number,
  budget = PERMUTATION_ROWS,
): ContextualImportance {
  const attribution = new Map<string, number>();
  const members = Object.fromEntries(MEMBERS.map((m) => [m, 0])) as Record<MemberName, number>;
  let flagged = 0;
  for (let i = 0; i < scores.flags.length; i++) {
    if (!scores.flags[i]) continue;
    flagged++;
    members[MEMBERS[scores.member[i]!]!]++;
    for (const [f, v] of readingShares(model, scores, input, i)) attribution.set(f, (attribution.get(f) ?? 0) + v);
  }
  if (flagged > 0) {
    for (const [f, v] of attribution) attribution.set(f, v / flagged);
    for (const m of MEMBERS) members[m] /= flagged;
  }
  const sample = sampleBuildings(input, budget, seed);
  const base = scoreContextual(model, sample).scores;
  const permutation = new Map<string, number>();
  const codes = sample.groups?.codes ?? null;
  columnsRead(model).forEach((name, k) => {
    const source =
      model.temperature === name
        ? sample.temperature!
        : model.meters.includes(name)
          ? sample.meters[model.meters.indexOf(name)]!
          : sample.stuckColumns[model.stuckColumns.indexOf(name)]!;
    const shuffled = shuffledWithinBuildings(source, codes, seed + 7919 * (k + 1));
    const pick = (cols: Float64Array[], names: string[]): Float64Array[] => cols.map((c, j) => (names[j] === name ? shuffled : c));
    const permuted: ContextualInput = {
      ...sample,
      temperature: model.temperature === name ? shuffled : sample.temperature,
      meters: pick(sample.meters, model.meters),
      stuckColumns: pick(sample.stuckColumns, model.stuckColumns),
    };
    const after = scoreContextual(model, permuted).scores;
    let sum = 0;
    for (let i = 0; i < after.length; i++) sum += Math.abs(after[i]! - base[i]!);
    permutation.set(name, after.length ? sum / after.length : 0);
  });
  return { attribution, members, flagged, permutation, rows: sample.time.length };
}

/**
 * As version metrics (additive, as the forest's): `importance_<f>` and
 * `permutationImportance_<f>` for every feature of the version — a feature the
 * model does not read is 0 in both, exactly (shuffling it changes nothing) —
 * plus `member_<m>_led`, the share of flags each member raised,
 * `importanceFlagged` (the flagged readings attribution averages over) and
 * `importanceRows` (the readings the permutation rescored).
 */
export function contextualImportanceMetrics(features: readonly string[], imp: ContextualImportance): Record<string, number> {
  const out: Record<string, number> = {};
  const names = [...new Set([...features, ...imp.attribution.keys(), ...imp.permutation.keys()])];
  for (const f of names) {
    out[`importance_${f}`] = Number((imp.attribution.get(f) ?? 0).toFixed(6));
    if (features.includes(f) || imp.permutation.has(f))
      out[`permutationImportance_${f}`] = Number((imp.permutation.get(f) ?? 0).toFixed(6));
  }
  out.importanceFlagged = imp.flagged;
  out.importanceRows = imp.rows;
  if (imp.flagged > 0) for (const m of MEMBERS) out[`member_${m}_led`] = Number(imp.members[m].toFixed(6));
  return out;
}
