/**
 * Scoring at outdoor temperatures a building's baseline never saw (ARCHITECTURE §5,
 * README "The model"). A time-of-week-and-temperature
 * baseline is piecewise linear: beyond the temperatures it was fitted on, it
 * continues its outermost segment, fitted on heating days alone when a model
 * trained in winter meets its first warm day. Whether the load really bends there
 * (cooling starts, heating stops) is unknown, and a residual against that guess is
 * not evidence of a fault.
 *
 * So the expected load becomes an interval that widens with the distance d
 * beyond the training range. Its ends are the two guesses the data cannot tell
 * apart — the outermost segment continued, and the load held at its value at
 * the edge of the range — each widened by S·d, where S is the steepest temperature
 * response the model knows for that meter (the building's own segments, or the
 * fleet's at the building's size, whichever is steeper: a building's heating and
 * cooling responses are of the same order, both set by its envelope and plant).
 * A reading inside the interval has residual 0; outside it, the excess beyond
 * the interval is scaled by the usual spread, so a fault far above any plausible
 * load is still flagged. Inside the training range nothing changes, and a model
 * file without a recorded range (written before) scores as it did.
 */
import { selectKth } from './robust';
import { blockWidth, type TowtModel } from './towt';
import type { BuildingModel, MeterModel } from './types';

/**
 * The training temperatures a building's baseline rests on: without the 48 coldest and 48 warmest readings (two days
 * of hourly readings; at least the 0.1 % tails), because an outermost segment's slope fitted on a handful of hot hours
 * is a guess too, and one glitched reading must not stretch the range.
 */
export interface TemperatureSupport {
  lo: number;
  hi: number;
}

const SUPPORT_TAIL = 0.001;
const SUPPORT_READINGS = 48;

/** The support of the temperatures at `rows` (all finite ones), or null when there are none. */
export function temperatureSupport(temp: Float64Array | null, rows: Int32Array): TemperatureSupport | null {
  if (!temp) return null;
  const values = new Float64Array(rows.length);
  let n = 0;
  for (let k = 0; k < rows.length; k++) {
    const t = temp[rows[k]!]!;
    if (Number.isFinite(t)) values[n++] = t;
  }
  return supportOfValues(values.subarray(0, n));
}

/** The support of finite temperatures (reordered in place: two selections, not a sort), or null when there are none. */
function supportOfValues(values: Float64Array): TemperatureSupport | null {
  const n = values.length;
  if (n === 0) return null;
  const k = Math.min(Math.max(Math.round(SUPPORT_TAIL * (n - 1)), SUPPORT_READINGS - 1), Math.floor((n - 1) / 4));
  return { lo: selectKth(values, k), hi: selectKth(values, n - 1 - k) };
}

/**
 * Per meter, the support of the readings in its occupied and in its unoccupied
 * slots: each block of a baseline has its own temperature terms, fitted on its
 * own readings. Nights and weekends are cooler than working afternoons, so a
 * model trained into early summer knows the hot afternoons but has met few hot
 * nights: its unoccupied cooling response ends well inside the building's range,
 * and a hot night must be scored as unseen weather for that block. Null for a
 * block without readings (then the building's support applies).
 */
export interface BlockSupport {
  occupied: TemperatureSupport | null;
  unoccupied: TemperatureSupport | null;
}

/** Each meter's block supports over `rows`, whose slots (hour of week or closed-day hour) are `slot[row]`. */
export function blockSupports(
  temp: Float64Array | null,
  rows: Int32Array,
  slot: Int32Array,
  meters: readonly Pick<MeterModel, 'towt'>[],
): BlockSupport[] | null {
  if (!temp) return null;
  // A building's meters usually share their occupied hours: each distinct pattern is measured once.
  const byPattern = new Map<string, BlockSupport>();
  return meters.map(({ towt }) => {
    const key = towt.occupied.join('');
    let found = byPattern.get(key);
    if (!found) {
      const occupied = new Float64Array(rows.length);
      const unoccupied = new Float64Array(rows.length);
      let no = 0;
      let nu = 0;
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k]!;
        const t = temp[i]!;
        if (!Number.isFinite(t)) continue;
        if (towt.occupied[slot[i]!]) occupied[no++] = t;
        else unoccupied[nu++] = t;
      }
      found = { occupied: supportOfValues(occupied.subarray(0, no)), unoccupied: supportOfValues(unoccupied.subarray(0, nu)) };
      byPattern.set(key, found);
    }
    return { ...found };
  });
}

/** The support that bounds a reading of meter m in a slot of the given block: the block's own, else the building's. */
export function supportOf(x: Extrapolation, m: number, occupied: boolean): TemperatureSupport {
  const block = x.blocks?.[m];
  return (occupied ? block?.occupied : block?.unoccupied) ?? x.support;
}

/** The union of the buildings' supports: what the fleet baseline was fitted on (null when none is recorded). */
export function fleetSupport(buildings: readonly BuildingModel[]): TemperatureSupport | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const b of buildings) {
    if (!b.support) continue;
    lo = Math.min(lo, b.support.lo);
    hi = Math.max(hi, b.support.hi);
  }
  return lo <= hi ? { lo, hi } : null;
}

/** The steepest temperature slope (load per degree) of a baseline's segments, occupied and unoccupied hours alike. */
export function steepestSlope(towt: TowtModel): number {
  const k = towt.knots.length;
  if (k === 0) return 0;
  const block = blockWidth(towt);
  let s = 0;
  for (const off of [0, block]) for (let j = 0; j <= k; j++) s = Math.max(s, Math.abs(towt.beta[off + j] ?? 0));
  return s;
}

/** How a building's residuals widen beyond its support: the support and, per meter, S (load per degree beyond it). */
export interface Extrapolation {
  support: TemperatureSupport;
  slope: number[];
  /**
   * A building with its own baselines: the fleet's per meter and the building's level, for a third guess (the
   * fleet's temperature response from the edge on: the fleet pools buildings whose weather reached further).
   */
  fleet: { towt: TowtModel[]; level: number[] } | null;
  /** Per meter, the supports of its occupied and unoccupied blocks (absent in files written before: the building's applies). */
  blocks?: BlockSupport[] | null;
}

/**
 * The extrapolation of one building scored with `meters` at `scale` (its own
 * baselines at 1, or the fleet's at its level): S per meter is the steeper of
 * those baselines' and the fleet's (at the building's level). Null without a
 * recorded support: nothing widens.
 */
export function extrapolationOf(
  support: TemperatureSupport | null | undefined,
  meters: readonly MeterModel[],
  scale: readonly number[],
  fleet: readonly MeterModel[],
  levels: readonly number[],
  blocks: BlockSupport[] | null = null,
): Extrapolation | null {
  if (!support) return null;
  const slope = meters.map((mm, m) => {
    const own = scale[m]! * steepestSlope(mm.towt);
    const f = fleet[m] ? Math.abs(levels[m] ?? 0) * steepestSlope(fleet[m]!.towt) : 0;
    return Math.max(own, Number.isFinite(f) ? f : 0);
  });
  const own = meters !== fleet && fleet.length === meters.length;
  return {
    support,
    slope,
    fleet: own ? { towt: fleet.map((f) => f.towt), level: meters.map((_, m) => Math.max(0, levels[m] ?? 0)) } : null,
    blocks,
  };
}

/** Degrees beyond the support (0 inside it, or for a missing temperature: scored at the fill temperature, which is inside). */
export function beyond(support: TemperatureSupport, t: number): number {
  if (!Number.isFinite(t)) return 0;
  return t > support.hi ? t - support.hi : t < support.lo ? support.lo - t : 0;
}

/** The temperature clamped into the support: where the baseline is still fitted, not extrapolated. */
export function clampToSupport(support: TemperatureSupport, t: number): number {
  return Math.min(support.hi, Math.max(support.lo, t));
}

/**
 * The part of the reading y outside [min(guesses) − band, max(guesses) + band]:
 * the baseline's extrapolation, its value at the support's edge, and (for a
 * building with its own baseline) that edge value moved by the fleet's
 * response from the edge to the reading's temperature. 0 inside.
 */
export function outsideInterval(y: number, f: number, edge: number, band: number, fleetGuess = NaN): number {
  const hi = intervalTop(f, edge, band, fleetGuess);
  let lo = Math.min(f, edge);
  if (Number.isFinite(fleetGuess)) lo = Math.min(lo, fleetGuess);
  lo -= band;
  return y > hi ? y - hi : y < lo ? y - lo : 0;
}

/**
 * The interval's top: the largest load the model cannot rule out there. The
 * reading's spread is taken at that load (load-scale.ts), as a meter's noise
 * grows with what it draws: a building whose cooling rises faster than any
 * heating slope it showed must not have its unseen cooling judged with the
 * noise of its mild-weather load.
 */
export function intervalTop(f: number, edge: number, band: number, fleetGuess = NaN): number {
  return Math.max(f, edge, Number.isFinite(fleetGuess) ? fleetGuess : -Infinity) + band;
}
