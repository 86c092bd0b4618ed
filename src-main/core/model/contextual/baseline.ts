/**
 * Per building and meter: a robust TOWT fit (Huber-weighted least squares,
 * so holidays and the training year's own faults do not drag the baseline)
 * and the robust spread of its residuals per hour of the day. The
 * fleet baseline is the same fit on every building's readings divided by
 * that building's median level.
 */
import { finiteCopy, finiteMedianAt, medianOf, robustSigma, robustSigmaInPlace } from './robust';
import {
  SLOTS,
  fitTowtDesign,
  predictDesign,
  quantileKnots,
  towtDesign,
  towtTerms,
  type SlotGram,
  type TowtDesign,
  type TowtModel,
  type TowtTerms,
} from './towt';
import { DAY_MS } from '../../../contract/shared/time';

/**
 * Spreads per hour of the day (and occupied/unoccupied). Files written before kept 6 four-hour bands;
 * spreadIndex reads either.
 */
export const BANDS = 24;
const HUBER = 2;
const REWEIGHTS = 2;
/** The Huber scale is a MAD: a stride sample of this many residuals sets it as well as all of a year's, for a third of the selection work. */
const HUBER_SAMPLE = 3000;

/** Every k-th value, k the smallest stride leaving at most `size` (the array itself when it is small enough). */
function strideSample(values: Float64Array, size: number): Float64Array {
  const stride = Math.ceil(values.length / size);
  if (stride <= 1) return values;
  const out = new Float64Array(Math.ceil(values.length / stride));
  for (let i = 0, k = 0; i < values.length; i += stride, k++) out[k] = values[i]!;
  return out;
}
/** The spread never falls below this share of the meter's level (a flat meter would make every wobble infinite). */
const SPREAD_FLOOR_SHARE = 0.01;

export function bandOf(slot: number, bands = BANDS): number {
  return Math.floor(((slot % 24) * bands) / 24);
}

/**
 * Which spread a reading is scaled by: its hour of the day, separately for
 * occupied and unoccupied slots (bands × 2 spreads), because noise grows
 * with the load: a school's daytime lights vary far more in term than on a
 * holiday or at night. Hours, not wider bands: the shoulder hours (opening,
 * closing), where occupancy and daylight vary from day to day, are far less
 * predictable than the steady hours beside them, and a band's median spread
 * would hide them. `bands` is the stored spreads' count / 2.
 */
export function spreadIndex(towt: TowtModel, slot: number, bands = BANDS): number {
  return bandOf(slot, bands) + (towt.occupied[slot] ? bands : 0);
}

export interface FitRows {
  y: Float64Array;
  how: Int32Array;
  temp: Float64Array | null;
  /** Epoch ms per row: yearly harmonic terms are fitted when the rows span a year. */
  time: Float64Array;
}

/** Yearly terms need a year to be estimated; from less they would extrapolate a fragment of a cycle. */
const SEASONAL_MIN_SPAN = 330 * DAY_MS;

function spansAYear(time: Float64Array): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < time.length; i++) {
    if (time[i]! < lo) lo = time[i]!;
    if (time[i]! > hi) hi = time[i]!;
  }
  return hi - lo >= SEASONAL_MIN_SPAN;
}

/** Knots and the fill temperature of one building's rows, shared by its meters' fits. */
export function temperatureFrame(temp: Float64Array | null, knots: number): { knots: number[]; fill: number } {
  if (!temp) return { knots: [], fill: NaN };
  const finite = finiteCopy(temp);
  return { knots: quantileKnots(finite, knots), fill: finite.length ? medianOf(finite) : NaN };
}

/** The terms and design of a building's rows, shared by its meters' fits (towtDesign). */
export interface SharedDesign {
  terms: TowtTerms;
  design: TowtDesign;
  /** slotGram of the design for the slots being fitted (optional: saves most of each fit's pass). */
  gram?: SlotGram;
}

/** The design robustTowt would build for these rows and frame. */
export function fitDesign(d: Pick<FitRows, 'temp' | 'time'>, frame: { knots: number[]; fill: number }): SharedDesign {
  const time = spansAYear(d.time) ? d.time : null;
  const terms = towtTerms({ temp: d.temp, time }, frame.knots, frame.fill);
  return { terms, design: towtDesign(terms, d.temp, time) };
}

/**
 * Huber-reweighted TOWT fit; rows with a non-finite y are ignored. `shared` (fitDesign of the same rows) saves rebuilding it.
 * `from` continues the reweightings of a robustTowt of the same rows, slots and design that made `from.done` of them:
 * each reweighting's weights come from the previous model's residuals alone, so this equals a fit from scratch.
 */
export function robustTowt(
  d: FitRows,
  frame: { knots: number[]; fill: number },
  occupied: number[] | null = null,
  reweights = REWEIGHTS,
  shared: SharedDesign | null = null,
  from: { model: TowtModel; done: number } | null = null,
): TowtModel {
  const n = d.y.length;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = Number.isFinite(d.y[i]!) ? 1 : 0;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = w[i] ? d.y[i]! : 0;
  const { terms, design } = shared ?? fitDesign(d, frame);
  const data = { y, how: d.how, temp: d.temp, weights: w };
  const gram = shared?.gram ?? null;
  let model = from ? from.model : fitTowtDesign(data, terms, design, occupied, undefined, gram);
  if (from) reweights -= from.done;
  const r = new Float64Array(n);
  for (let it = 0; it < reweights; it++) {
    for (let i = 0; i < n; i++) r[i] = w[i] ? y[i]! - predictDesign(model, d.how[i]!, design, i) : NaN;
    const sigma = robustSigma(strideSample(r, HUBER_SAMPLE));
    if (!(sigma > 0)) break;
    for (let i = 0; i < n; i++) if (w[i]) w[i] = Math.min(1, (HUBER * sigma) / Math.abs(r[i]!));
    model = fitTowtDesign(data, terms, design, model.occupied, undefined, gram);
  }
  return model;
}

/** Robust σ of residuals per spreadIndex, floored; those without data take the overall σ. */
export function bandSpreads(residual: Float64Array, slots: Int32Array, towt: TowtModel, level: number): number[] {
  // Counting sort of the finite residuals by spread index: typed arrays, no per-value allocation.
  const bands = 2 * BANDS;
  const index = new Int32Array(SLOTS);
  for (let h = 0; h < SLOTS; h++) index[h] = spreadIndex(towt, h);
  const count = new Int32Array(bands + 1);
  for (let i = 0; i < residual.length; i++) if (Number.isFinite(residual[i]!)) count[index[slots[i]!]! + 1]!++;
  for (let j = 0; j < bands; j++) count[j + 1]! += count[j]!;
  const sorted = new Float64Array(count[bands]!);
  const at = count.slice(0, bands);
  for (let i = 0; i < residual.length; i++) if (Number.isFinite(residual[i]!)) sorted[at[index[slots[i]!]!]!++] = residual[i]!;
  // The overall σ only serves bands with too few residuals: computed when one needs it.
  let overall: number | null = null;
  const floor = Math.max(SPREAD_FLOOR_SHARE * Math.abs(level), 1e-6);
  return Array.from({ length: bands }, (_, j) => {
    // `sorted` is this function's scratch, every value in it finite: each band is selected in place, not copied.
    const v = sorted.subarray(count[j]!, count[j + 1]!);
    const s = v.length >= 10 ? robustSigmaInPlace(v) : (overall ??= robustSigma(residual));
    return Math.max(Number.isFinite(s) ? s : floor, floor);
  });
}

/** A meter's level: the median of its finite readings (of rows `rows` only, when given), else 0. */
export function levelOf(y: Float64Array, rows: Int32Array | null = null): number {
  const m = finiteMedianAt(y, rows);
  return Number.isFinite(m) ? m : 0;
}
