/**
 * Per building and meter: a robust TOWT fit (Huber-weighted least squares,
 * so holidays and the training year's own faults do not drag the baseline)
 * and the robust spread of its residuals per 4-hour band of the day. The
 * fleet baseline is the same fit on every building's readings divided by
 * that building's median level.
 */
import { medianOf, robustSigma } from './robust';
import { fitTowt, predictTowt, quantileKnots, type TowtModel } from './towt';

export const BANDS = 6;
const HUBER = 2;
const REWEIGHTS = 2;
/** The spread never falls below this share of the meter's level (a flat meter would make every wobble infinite). */
const SPREAD_FLOOR_SHARE = 0.01;

export function bandOf(slot: number): number {
  return Math.floor((slot % 24) / 4);
}

/**
 * Which spread a reading is scaled by: its 4-hour band of the day, separately
 * for occupied and unoccupied slots (BANDS × 2 spreads), because noise grows
 * with the load: a school's daytime lights vary far more in term than on a
 * holiday or at night.
 */
export function spreadIndex(towt: TowtModel, slot: number): number {
  return bandOf(slot) + (towt.occupied[slot] ? BANDS : 0);
}

export interface FitRows {
  y: Float64Array;
  how: Int32Array;
  temp: Float64Array | null;
  /** Epoch ms per row: yearly harmonic terms are fitted when the rows span a year. */
  time: Float64Array;
}

/** Yearly terms need a year to be estimated; from less they would extrapolate a fragment of a cycle. */
const SEASONAL_MIN_SPAN = 330 * 86_400_000;

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
  const finite = temp.filter(Number.isFinite);
  return { knots: quantileKnots(finite, knots), fill: finite.length ? medianOf(finite) : NaN };
}

/** Huber-reweighted TOWT fit; rows with a non-finite y are ignored. */
export function robustTowt(
  d: FitRows,
  frame: { knots: number[]; fill: number },
  occupied: number[] | null = null,
  reweights = REWEIGHTS,
): TowtModel {
  const n = d.y.length;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = Number.isFinite(d.y[i]!) ? 1 : 0;
  const k = frame.knots;
  const y = d.y.map((v) => (Number.isFinite(v) ? v : 0));
  const time = spansAYear(d.time) ? d.time : null;
  let model = fitTowt({ y, how: d.how, temp: d.temp, weights: w, time }, k, occupied, undefined, frame.fill);
  const r = new Float64Array(n);
  for (let it = 0; it < reweights; it++) {
    for (let i = 0; i < n; i++) r[i] = w[i] ? y[i]! - predictTowt(model, d.how[i]!, d.temp ? d.temp[i]! : NaN, d.time[i]!) : NaN;
    const sigma = robustSigma(r);
    if (!(sigma > 0)) break;
    for (let i = 0; i < n; i++) if (w[i]) w[i] = Math.min(1, (HUBER * sigma) / Math.abs(r[i]!));
    model = fitTowt({ y, how: d.how, temp: d.temp, weights: w, time }, k, model.occupied, undefined, frame.fill);
  }
  return model;
}

/** Robust σ of residuals per spreadIndex, floored; those without data take the overall σ. */
export function bandSpreads(residual: Float64Array, slots: Int32Array, towt: TowtModel, level: number): number[] {
  const byBand: number[][] = Array.from({ length: 2 * BANDS }, () => []);
  for (let i = 0; i < residual.length; i++) if (Number.isFinite(residual[i]!)) byBand[spreadIndex(towt, slots[i]!)]!.push(residual[i]!);
  const overall = robustSigma(residual);
  const floor = Math.max(SPREAD_FLOOR_SHARE * Math.abs(level), 1e-6);
  return byBand.map((v) => {
    const s = v.length >= 10 ? robustSigma(Float64Array.from(v)) : overall;
    return Math.max(Number.isFinite(s) ? s : floor, floor);
  });
}

export function levelOf(y: Float64Array): number {
  const m = medianOf(y.filter(Number.isFinite));
  return Number.isFinite(m) ? m : 0;
}
