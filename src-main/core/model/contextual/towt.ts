/**
 * Time-of-week-and-temperature regression (LBNL's TOWT, the model behind
 * CalTRACK hourly): expected load = a coefficient per hour of the week plus a
 * piecewise-linear function of the outdoor temperature, with separate
 * temperature slopes for occupied and unoccupied hours of the week.
 *
 *   ŷ = α[hourOfWeek] + Σⱼ β[block, j] · cⱼ(T)
 *
 * cⱼ are the CalTRACK segment components for knots k₁ < … < k_K: c₀ = min(T − k₁, 0),
 * cⱼ = clamp(T − kⱼ, 0, kⱼ₊₁ − kⱼ), c_K = max(T − k_K, 0), so the function is
 * continuous and linear between knots (and beyond the outer knots).
 *
 * Occupied hours of the week follow LBNL's rule: fit load on temperature
 * alone, and call an hour of the week occupied when its residual is positive
 * in more than 65 % of its readings.
 *
 * The hour-of-week indicators are mutually exclusive, so the normal equations
 * have a diagonal block for α; they are solved by eliminating α (Schur
 * complement), leaving one small dense system for β. Each row touches one
 * temperature block, so that system is block diagonal too. Fitting is linear
 * in rows.
 */
import { quickselect } from '../../stats/select';
import { solveSpd } from './linear-solve';
import { finiteCopy, medianOf } from './robust';
import { DAY_MS, HOUR_MS } from '../../../contract/shared/time';

export const HOURS_PER_WEEK = 168;
/**
 * Slots of the hour-of-week terms: 168 hours of the week, then 24 hours of a
 * "closed day" — a weekday that looks like a holiday (see day-type.ts). A
 * slot's coefficient is its expected load at the reference temperature.
 */
export const SLOTS = HOURS_PER_WEEK + 24;
/** Sunday 00:00 as an hour of the week: a closed day's hours default to Sunday's. */
const SUNDAY = 144;

/** The slot of a reading: its hour of the week, or the closed-day hour. */
export function slotOf(hourOfWeekValue: number, closedDay: boolean): number {
  return closedDay ? HOURS_PER_WEEK + (hourOfWeekValue % 24) : hourOfWeekValue;
}
/** LBNL's occupancy rule: positive residual share above which an hour of week counts as occupied. */
const OCCUPIED_SHARE = 0.65;

/** 0 = Monday 00:00 … 167 = Sunday 23:00, UTC. */
export function hourOfWeek(t: number): number {
  const days = Math.floor(t / DAY_MS);
  const dow = (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday: Monday-based index 3
  const hour = Math.floor((t - days * DAY_MS) / HOUR_MS);
  return dow * 24 + hour;
}

export interface TowtModel {
  /** Ascending temperature knots; empty when fitted without temperature. */
  knots: number[];
  /** Per slot (SLOTS: hours of the week, then closed-day hours): 1 occupied, 0 unoccupied. */
  occupied: number[];
  /** Per slot. */
  alpha: number[];
  /** Temperature coefficients: knots.length + 1 for occupied hours, then as many for unoccupied. */
  beta: number[];
  /** Temperature used when a reading has none: the training median. */
  fillTemp: number;
  /**
   * Yearly harmonic terms (sin, cos of the time of year) after the temperature
   * components in each block: daylight and seasonal habits that temperature
   * alone does not explain. Only fitted from a year of data or more.
   */
  seasonal: boolean;
}

const YEAR_MS = 365.25 * DAY_MS;

/** Phase of the year in radians. */
export function yearPhase(t: number): number {
  return (2 * Math.PI * (t % YEAR_MS)) / YEAR_MS;
}

/** Number of temperature components for K knots. */
export function componentCount(knots: readonly number[]): number {
  return knots.length === 0 ? 0 : knots.length + 1;
}

/** Coefficients per occupancy block (temperature components, then the yearly pair): the unoccupied block starts here. */
export function blockWidth(m: Pick<TowtModel, 'knots' | 'seasonal'>): number {
  return componentCount(m.knots) + (m.seasonal ? 2 : 0);
}

/** Writes the segment components of T into out[0 … K]. */
export function temperatureComponents(knots: readonly number[], t: number, out: Float64Array): void {
  const k = knots.length;
  out[0] = Math.min(t - knots[0]!, 0);
  for (let j = 1; j < k; j++) out[j] = Math.min(Math.max(t - knots[j - 1]!, 0), knots[j]! - knots[j - 1]!);
  out[k] = Math.max(t - knots[k - 1]!, 0);
}

export function predictTowt(m: TowtModel, how: number, temp: number, time: number): number {
  let y = m.alpha[how]!;
  const k = m.knots.length;
  const mt = componentCount(m.knots);
  const block = mt + (m.seasonal ? 2 : 0);
  const off = m.occupied[how] ? 0 : block;
  if (m.seasonal) {
    const a = yearPhase(time);
    y += m.beta[off + mt]! * Math.sin(a) + m.beta[off + mt + 1]! * Math.cos(a);
  }
  return k === 0 ? y : addTemperatureTerms(m, off, Number.isFinite(temp) ? temp : m.fillTemp, y);
}

/**
 * `y` plus the temperature terms of the block at `off` (0 occupied, else the
 * unoccupied block) at temperature t, added term by term onto `y` so the sum
 * is the same in every caller. Components inline: this runs once per reading
 * and meter. Needs knots.
 */
export function addTemperatureTerms(m: Pick<TowtModel, 'beta' | 'knots'>, off: number, t: number, y: number): number {
  const k = m.knots.length;
  y += m.beta[off]! * Math.min(t - m.knots[0]!, 0);
  for (let j = 1; j < k; j++) y += m.beta[off + j]! * Math.min(Math.max(t - m.knots[j - 1]!, 0), m.knots[j]! - m.knots[j - 1]!);
  y += m.beta[off + k]! * Math.max(t - m.knots[k - 1]!, 0);
  return y;
}

/**
 * The rows' temperature and yearly components, row-major (rows × width):
 * what every fit and prediction of models sharing `knots`, `fillTemp` and
 * `seasonal` multiplies by β. Computed once per building, it is shared by
 * its meters, its Huber reweightings and the two day profiles, instead of
 * recomputing the segments and sin/cos for each of them.
 */
export interface TowtDesign {
  width: number;
  values: Float64Array;
}

/** Each row's yearly terms, sin and cos of yearPhase(time), computed already (yearly-terms.ts). */
export interface YearlyTerms {
  sin: Float64Array;
  cos: Float64Array;
}

/** Design of rows (all rows, or `rows[k]` of the arrays) for models with these knots and terms. */
export function towtDesign(
  m: Pick<TowtModel, 'knots' | 'fillTemp' | 'seasonal'>,
  temp: ArrayLike<number> | null,
  time: ArrayLike<number> | null,
  rows: Int32Array | null = null,
  /** The yearly terms of every row of the arrays (the same values, not computed again). */
  yearly: YearlyTerms | null = null,
): TowtDesign {
  const k = m.knots.length;
  const mt = componentCount(m.knots);
  const width = mt + (m.seasonal ? 2 : 0);
  const n = rows ? rows.length : (temp?.length ?? time?.length ?? 0);
  const values = new Float64Array(n * width);
  if (width === 0) return { width, values };
  const knots = Float64Array.from(m.knots);
  for (let r = 0; r < n; r++) {
    const i = rows ? rows[r]! : r;
    const o = r * width;
    if (k > 0) {
      const raw = temp ? temp[i]! : NaN;
      const t = Number.isFinite(raw) ? raw : m.fillTemp;
      values[o] = Math.min(t - knots[0]!, 0);
      for (let j = 1; j < k; j++) values[o + j] = Math.min(Math.max(t - knots[j - 1]!, 0), knots[j]! - knots[j - 1]!);
      values[o + k] = Math.max(t - knots[k - 1]!, 0);
    }
    if (m.seasonal && yearly) {
      values[o + mt] = yearly.sin[i]!;
      values[o + mt + 1] = yearly.cos[i]!;
    } else if (m.seasonal) {
      const a = yearPhase(time![i]!);
      values[o + mt] = Math.sin(a);
      values[o + mt + 1] = Math.cos(a);
    }
  }
  return { width, values };
}

/** True when `d` holds the components `m` multiplies (same knots, fill temperature and terms). */
export function designFits(m: TowtModel, d: TowtDesign, like: Pick<TowtModel, 'knots' | 'fillTemp' | 'seasonal'>): boolean {
  if (m.seasonal !== like.seasonal || m.knots.length !== like.knots.length) return false;
  if (m.knots.length > 0 && m.fillTemp !== like.fillTemp) return false;
  for (let j = 0; j < m.knots.length; j++) if (m.knots[j] !== like.knots[j]) return false;
  return d.width === blockWidth(m);
}

/** predictTowt for row r of a design built for this model's knots and terms. */
export function predictDesign(m: TowtModel, slot: number, d: TowtDesign, r: number): number {
  const w = d.width;
  let y = m.alpha[slot]!;
  if (w === 0) return y;
  const off = m.occupied[slot] ? 0 : w;
  const o = r * w;
  const beta = m.beta;
  const v = d.values;
  for (let j = 0; j < w; j++) y += beta[off + j]! * v[o + j]!;
  return y;
}

export interface TowtData {
  y: ArrayLike<number>;
  /** Slot per row (slotOf). */
  how: ArrayLike<number>;
  /** Outdoor temperature per row (NaN = missing); null = no temperature at all. */
  temp: Float64Array | null;
  /** Row weights (IRLS); null = all 1. Rows with a non-finite y must have weight 0 or be absent. */
  weights: ArrayLike<number> | null;
  /** Epoch ms per row when yearly harmonic terms are wanted; null or absent = none. */
  time?: Float64Array | null;
}

/**
 * Knots at evenly spaced quantiles of the training temperatures (unit-free: °C or °F alike): element
 * ⌊j/(count+1)·(n−1)⌋ of the finite temperatures in ascending order, found by selection (each in the range
 * above the last one found) rather than a sort: a fit of every building had sorted its temperatures.
 */
export function quantileKnots(temps: Float64Array, count: number): number[] {
  const finite = finiteCopy(temps);
  const n = finite.length;
  if (n < 2 * (count + 1) || count < 1) return [];
  const knots: number[] = [];
  let left = 0;
  for (let j = 1; j <= count; j++) {
    const at = Math.floor((j / (count + 1)) * (n - 1));
    // Ascending positions: after selecting one, everything above it lies to its right.
    if (at >= left) {
      quickselect(finite, at, left, n - 1);
      left = at + 1;
    }
    const v = sortedZero(temps, finite[at]!, at);
    if (knots.length === 0 || v > knots[knots.length - 1]! + 1e-9) knots.push(v);
  }
  return knots;
}

/**
 * The value at position `at` of the finite values in ascending order, given the value selection found there:
 * itself, unless it is a zero, whose sign a sort decides (−0 before +0) and selection does not.
 */
function sortedZero(values: Float64Array, v: number, at: number): number {
  if (v !== 0) return v;
  let below = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isFinite(x) && (x < 0 || Object.is(x, -0))) below++;
  }
  return at < below ? -0 : 0;
}

/**
 * LBNL occupancy: temperature-only fit (intercept plus the design's first
 * `mt` columns, ridge 1e-6·n as before), then the share of positive residuals
 * per slot.
 */
function occupiedHours(d: TowtData, design: TowtDesign, mt: number, gram: SlotGram | null): number[] {
  const n = d.y.length;
  const p = mt + 1;
  const w = design.width;
  const v = design.values;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  const x = new Float64Array(p);
  x[0] = 1;
  // Locals, not d's properties, inside the loops over rows (V8 does not hoist those loads).
  const weights = d.weights;
  const ys = d.y;
  const slots = d.how;
  // With the unit-weight slot sums and 0/1 weights (a first fit), XᵀX is their total less the rows weighing 0:
  // only Xᵀy needs a pass over the rows, not the p² products per row.
  let fromGram = gram !== null && gram.rows === n && gram.width === w;
  if (fromGram && weights) for (let i = 0; i < n && fromGram; i++) fromGram = weights[i] === 0 || weights[i] === 1;
  if (fromGram && gram) {
    const m = gram.width;
    for (let h = 0; h < SLOTS; h++) {
      const c = gram.count[h]!;
      if (c === 0) continue;
      xtx[0]! += c;
      for (let j = 0; j < mt; j++) {
        xtx[(j + 1) * p]! += gram.sum[h * m + j]!;
        for (let l = 0; l <= j; l++) xtx[(j + 1) * p + l + 1]! += gram.gram[h * m * m + j * m + l]!;
      }
    }
  }
  // From the slot sums: Xᵀy over the rows weighing 1 first, then the rows weighing 0 taken out of XᵀX (each sum in row order).
  if (fromGram) addTemperatureRightHandSide(weights, ys, v, w, mt, xty);
  for (let i = 0; i < n; i++) {
    const wi = weights ? weights[i]! : 1;
    if (fromGram && wi !== 0) continue;
    for (let j = 0; j < mt; j++) x[j + 1] = v[i * w + j]!;
    if (wi === 0) {
      if (fromGram) for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) xtx[a * p + b]! -= x[a]! * x[b]!;
      continue;
    }
    const y = ys[i]!;
    for (let a = 0; a < p; a++) {
      const xa = x[a]! * wi;
      if (xa === 0) continue;
      xty[a]! += xa * y;
      for (let b = 0; b <= a; b++) xtx[a * p + b]! += xa * x[b]!;
    }
  }
  const lambda = 1e-6 * n;
  for (let a = 0; a < p; a++) {
    xtx[a * p + a]! += lambda;
    for (let b = 0; b < a; b++) xtx[b * p + a] = xtx[a * p + b]!;
  }
  const coef = solveSpd(xtx, p, xty);
  const pos = new Float64Array(SLOTS);
  const cnt = new Float64Array(SLOTS);
  for (let i = 0; i < n; i++) {
    if (weights && weights[i] === 0) continue;
    let f = coef[0]!;
    for (let j = 0; j < mt; j++) f += coef[j + 1]! * v[i * w + j]!;
    const h = slots[i]!;
    cnt[h]!++;
    if (ys[i]! - f > 0) pos[h]!++;
  }
  return Array.from(cnt, (c, h) => (c > 0 && pos[h]! / c > OCCUPIED_SHARE ? 1 : 0));
}

/**
 * occupiedHours' Xᵀy from the slot sums: y, then x_j·y for the design's first mt columns (row stride `width`), over
 * the rows weighing more than 0 in row order (x[0] is 1: 1·y is y). For seven columns (six knots) the sums are kept
 * in locals rather than read and written back at every row; the same terms in the same order either way.
 */
export function addTemperatureRightHandSide(
  weights: ArrayLike<number> | null,
  ys: ArrayLike<number>,
  v: Float64Array,
  width: number,
  mt: number,
  xty: Float64Array,
): void {
  const n = ys.length;
  if (mt === 7) {
    let s0 = xty[0]!,
      s1 = xty[1]!,
      s2 = xty[2]!,
      s3 = xty[3]!,
      s4 = xty[4]!,
      s5 = xty[5]!,
      s6 = xty[6]!,
      s7 = xty[7]!;
    for (let i = 0; i < n; i++) {
      if (weights && weights[i] === 0) continue;
      const y = ys[i]!;
      const o = i * width;
      s0 += y;
      s1 += v[o]! * y;
      s2 += v[o + 1]! * y;
      s3 += v[o + 2]! * y;
      s4 += v[o + 3]! * y;
      s5 += v[o + 4]! * y;
      s6 += v[o + 5]! * y;
      s7 += v[o + 6]! * y;
    }
    xty.set([s0, s1, s2, s3, s4, s5, s6, s7]);
    return;
  }
  for (let i = 0; i < n; i++) {
    if (weights && weights[i] === 0) continue;
    const y = ys[i]!;
    const o = i * width;
    xty[0]! += y;
    for (let a = 1; a <= mt; a++) xty[a]! += v[o + a - 1]! * y;
  }
}

/** What a fit's design holds: knots (empty = no temperature terms), the fill temperature and the yearly terms. */
export type TowtTerms = Pick<TowtModel, 'knots' | 'fillTemp' | 'seasonal'>;

/** The terms fitTowt uses for these data and knots (temperature terms only when there is a temperature to fit). */
export function towtTerms(d: Pick<TowtData, 'temp' | 'time'>, knots: number[], fillTempIn: number | null = null): TowtTerms {
  const fillTemp = fillTempIn ?? (d.temp ? medianOf(d.temp.filter(Number.isFinite)) : NaN);
  const useTemp = knots.length > 0 && d.temp !== null && Number.isFinite(fillTemp);
  return { knots: useTemp ? [...knots] : [], fillTemp: useTemp ? fillTemp : 0, seasonal: !!d.time };
}

/**
 * Weighted ridge fit of the TOWT model. `knots` empty fits hour-of-week
 * terms only. `occupied` may be given (else it is estimated). Hours of the
 * week without data take the mean of the same hour on other days (else the
 * overall mean), so irregular data never yields a zero baseline.
 */
export function fitTowt(
  d: TowtData,
  knots: number[],
  occupiedIn: number[] | null = null,
  lambda = 1e-3,
  fillTempIn: number | null = null,
): TowtModel {
  const terms = towtTerms(d, knots, fillTempIn);
  return fitTowtDesign(d, terms, towtDesign(terms, d.temp, d.time ?? null), occupiedIn, lambda);
}

/**
 * Per slot: the number of rows, Σx and Σxxᵀ (m × m, lower triangle used) of
 * a design's rows at unit weight. They depend on neither the meter nor the
 * Huber weights, so one pass serves every meter and reweighting of a
 * building: a fit then only revisits the rows weighing less than 1.
 */
export interface SlotGram {
  width: number;
  rows: number;
  count: Float64Array;
  sum: Float64Array;
  gram: Float64Array;
}

export function slotGram(design: TowtDesign, slots: ArrayLike<number>): SlotGram {
  const m = design.width;
  const n = slots.length;
  const v = design.values;
  const count = new Float64Array(SLOTS);
  const sum = new Float64Array(SLOTS * m);
  const gram = new Float64Array(SLOTS * m * m);
  for (let i = 0; i < n; i++) {
    const h = slots[i]!;
    count[h]!++;
    const o = i * m;
    for (let j = 0; j < m; j++) {
      const x = v[o + j]!;
      sum[h * m + j]! += x;
      const row = h * m * m + j * m;
      for (let l = 0; l <= j; l++) gram[row + l]! += x * v[o + l]!;
    }
  }
  return { width: m, rows: n, count, sum, gram };
}

/**
 * fitTowt on a design computed once (towtDesign with the same terms and rows):
 * one pass over the rows accumulating the normal equations' blocks.
 */
export function fitTowtDesign(
  d: TowtData,
  terms: TowtTerms,
  design: TowtDesign,
  occupiedIn: number[] | null = null,
  lambda = 1e-3,
  gram: SlotGram | null = null,
): TowtModel {
  const n = d.y.length;
  const k = terms.knots;
  const useTemp = k.length > 0;
  const mt = componentCount(k);
  const seasonal = terms.seasonal;
  const m = mt + (seasonal ? 2 : 0);
  if (design.width !== m || design.values.length !== n * m)
    throw new Error(`design of width ${design.width} does not fit ${n} rows of ${m} terms`);
  const occupied = useTemp ? (occupiedIn ?? occupiedHours(d, design, mt, gram)) : new Array<number>(SLOTS).fill(0);
  const q = 2 * m;
  const dsum = new Float64Array(SLOTS);
  const rH = new Float64Array(SLOTS);
  const b = new Float64Array(SLOTS * Math.max(q, 1));
  const c = new Float64Array(q * q);
  const rT = new Float64Array(q);
  const v = design.values;
  const occ = Uint8Array.from(occupied);
  if (gram) {
    if (gram.width !== m || gram.rows !== n)
      throw new Error(`slot sums of ${gram.rows} rows × ${gram.width} do not fit ${n} rows of ${m} terms`);
    // Unit-weight sums per slot placed in their block; below, rows weighing less than 1 are taken back out.
    const mm = m * m;
    for (let h = 0; h < SLOTS; h++) {
      dsum[h] = gram.count[h]!;
      const off = occ[h] ? 0 : m;
      for (let j = 0; j < m; j++) {
        b[h * q + off + j] = gram.sum[h * m + j]!;
        const row = (off + j) * q + off;
        for (let l = 0; l <= j; l++) c[row + l]! += gram.gram[h * mm + j * m + l]!;
      }
    }
  }
  const weights = d.weights;
  const ys = d.y;
  const slots = d.how;
  // With the slot sums, the rows' right-hand sides first (every row weighing more than 0), then the rows weighing
  // less than 1 taken back out of the sums: the two touch different sums, each still added in row order.
  if (gram) addRightHandSides(weights, ys, slots, occ, v, m, rH, rT);
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const h = slots[i]!;
    const off = occ[h] ? 0 : m;
    const o = i * m;
    const bo = h * q + off;
    if (gram) {
      if (w === 1) continue;
      const u = 1 - w;
      dsum[h]! -= u;
      for (let j = 0; j < m; j++) {
        const uc = u * v[o + j]!;
        b[bo + j]! -= uc;
        const row = (off + j) * q + off;
        for (let l = 0; l <= j; l++) c[row + l]! -= uc * v[o + l]!;
      }
      continue;
    }
    if (w === 0) continue;
    const y = ys[i]!;
    dsum[h]! += w;
    rH[h]! += w * y;
    for (let j = 0; j < m; j++) {
      const wc = w * v[o + j]!;
      b[bo + j]! += wc;
      rT[off + j]! += wc * y;
      const row = (off + j) * q + off;
      for (let l = 0; l <= j; l++) c[row + l]! += wc * v[o + l]!;
    }
  }
  const total = dsum.reduce((s, v) => s + v, 0);
  if (total <= 0) throw new Error('no rows to fit');
  let beta: Float64Array = new Float64Array(q);
  if (q > 0) {
    // Schur complement: (C − Bᵀ D⁻¹ B) β = r_T − Bᵀ D⁻¹ r_H.
    const s = new Float64Array(q * q);
    const rhs = Float64Array.from(rT);
    for (let j = 0; j < q; j++) for (let l = 0; l <= j; l++) s[j * q + l] = c[j * q + l]!;
    // The ridge is scaled by C before elimination: when the hour-of-week terms explain a component
    // completely (short histories), its Schur complement is zero up to rounding and can come out negative.
    let trace = 0;
    for (let j = 0; j < q; j++) trace += Math.abs(c[j * q + j]!);
    for (let h = 0; h < SLOTS; h++) {
      const dh = dsum[h]!;
      if (dh <= 0) continue;
      for (let j = 0; j < q; j++) {
        const bj = b[h * q + j]!;
        if (bj === 0) continue;
        rhs[j]! -= (bj * rH[h]!) / dh;
        for (let l = 0; l <= j; l++) s[j * q + l]! -= (bj * b[h * q + l]!) / dh;
      }
    }
    // Ridge relative to the system's scale keeps collinear segments (no data beyond a knot) finite.
    const ridge = lambda * Math.max(trace / q, 1e-12);
    for (let j = 0; j < q; j++) {
      // A component no row reaches (e.g. no unoccupied hours) has an all-zero row: pin its coefficient to 0.
      if (c[j * q + j] === 0) s[j * q + j] = 1;
      else s[j * q + j] = Math.max(0, s[j * q + j]!);
      s[j * q + j]! += ridge;
      for (let l = 0; l < j; l++) s[l * q + j] = s[j * q + l]!;
    }
    beta = solveSpd(s, q, rhs);
  }
  const alpha = new Float64Array(SLOTS);
  const seen = new Uint8Array(SLOTS);
  for (let h = 0; h < SLOTS; h++) {
    if (dsum[h]! <= 0) continue;
    seen[h] = 1;
    let r = rH[h]!;
    for (let j = 0; j < q; j++) r -= b[h * q + j]! * beta[j]!;
    alpha[h] = r / dsum[h]!;
  }
  fillUnseen(alpha, seen);
  return { knots: [...k], occupied, alpha: Array.from(alpha), beta: Array.from(beta), fillTemp: terms.fillTemp, seasonal };
}

/**
 * rH[h] += w·y per row's slot h and rT[block + j] += (w·x_j)·y per row's occupancy block (0 occupied, m unoccupied),
 * over the rows weighing more than 0 in row order: fitTowtDesign's right-hand sides. For the usual widths (7: six
 * knots; 9: and the yearly pair) the two blocks' sums are kept in locals, not read and written back to rT at every
 * row (twice as fast); each sum takes the same terms in the same order either way.
 */
export function addRightHandSides(
  weights: ArrayLike<number> | null,
  ys: ArrayLike<number>,
  slots: ArrayLike<number>,
  occ: Uint8Array,
  v: Float64Array,
  m: number,
  rH: Float64Array,
  rT: Float64Array,
): void {
  const n = ys.length;
  if (m === 9) {
    let a0 = rT[0]!,
      a1 = rT[1]!,
      a2 = rT[2]!,
      a3 = rT[3]!,
      a4 = rT[4]!,
      a5 = rT[5]!,
      a6 = rT[6]!,
      a7 = rT[7]!,
      a8 = rT[8]!;
    let b0 = rT[9]!,
      b1 = rT[10]!,
      b2 = rT[11]!,
      b3 = rT[12]!,
      b4 = rT[13]!,
      b5 = rT[14]!,
      b6 = rT[15]!,
      b7 = rT[16]!,
      b8 = rT[17]!;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1;
      if (w === 0) continue;
      const h = slots[i]!;
      const y = ys[i]!;
      const o = i * 9;
      rH[h]! += w * y;
      if (occ[h]) {
        a0 += w * v[o]! * y;
        a1 += w * v[o + 1]! * y;
        a2 += w * v[o + 2]! * y;
        a3 += w * v[o + 3]! * y;
        a4 += w * v[o + 4]! * y;
        a5 += w * v[o + 5]! * y;
        a6 += w * v[o + 6]! * y;
        a7 += w * v[o + 7]! * y;
        a8 += w * v[o + 8]! * y;
      } else {
        b0 += w * v[o]! * y;
        b1 += w * v[o + 1]! * y;
        b2 += w * v[o + 2]! * y;
        b3 += w * v[o + 3]! * y;
        b4 += w * v[o + 4]! * y;
        b5 += w * v[o + 5]! * y;
        b6 += w * v[o + 6]! * y;
        b7 += w * v[o + 7]! * y;
        b8 += w * v[o + 8]! * y;
      }
    }
    rT.set([a0, a1, a2, a3, a4, a5, a6, a7, a8, b0, b1, b2, b3, b4, b5, b6, b7, b8]);
    return;
  }
  if (m === 7) {
    let a0 = rT[0]!,
      a1 = rT[1]!,
      a2 = rT[2]!,
      a3 = rT[3]!,
      a4 = rT[4]!,
      a5 = rT[5]!,
      a6 = rT[6]!;
    let b0 = rT[7]!,
      b1 = rT[8]!,
      b2 = rT[9]!,
      b3 = rT[10]!,
      b4 = rT[11]!,
      b5 = rT[12]!,
      b6 = rT[13]!;
    for (let i = 0; i < n; i++) {
      const w = weights ? weights[i]! : 1;
      if (w === 0) continue;
      const h = slots[i]!;
      const y = ys[i]!;
      const o = i * 7;
      rH[h]! += w * y;
      if (occ[h]) {
        a0 += w * v[o]! * y;
        a1 += w * v[o + 1]! * y;
        a2 += w * v[o + 2]! * y;
        a3 += w * v[o + 3]! * y;
        a4 += w * v[o + 4]! * y;
        a5 += w * v[o + 5]! * y;
        a6 += w * v[o + 6]! * y;
      } else {
        b0 += w * v[o]! * y;
        b1 += w * v[o + 1]! * y;
        b2 += w * v[o + 2]! * y;
        b3 += w * v[o + 3]! * y;
        b4 += w * v[o + 4]! * y;
        b5 += w * v[o + 5]! * y;
        b6 += w * v[o + 6]! * y;
      }
    }
    rT.set([a0, a1, a2, a3, a4, a5, a6, b0, b1, b2, b3, b4, b5, b6]);
    return;
  }
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    if (w === 0) continue;
    const h = slots[i]!;
    const y = ys[i]!;
    const off = occ[h] ? 0 : m;
    const o = i * m;
    rH[h]! += w * y;
    for (let j = 0; j < m; j++) rT[off + j]! += w * v[o + j]! * y;
  }
}

function fillUnseen(alpha: Float64Array, seen: Uint8Array): void {
  let all = 0;
  let allN = 0;
  for (let h = 0; h < HOURS_PER_WEEK; h++)
    if (seen[h]) {
      all += alpha[h]!;
      allN++;
    }
  for (let h = 0; h < HOURS_PER_WEEK; h++) {
    if (seen[h]) continue;
    let s = 0;
    let cnt = 0;
    for (let d = h % 24; d < HOURS_PER_WEEK; d += 24)
      if (seen[d]) {
        s += alpha[d]!;
        cnt++;
      }
    alpha[h] = cnt ? s / cnt : allN ? all / allN : 0;
  }
  // Closed-day hours never seen: Sunday's, whose schedule a closed weekday most resembles.
  for (let h = HOURS_PER_WEEK; h < SLOTS; h++) if (!seen[h]) alpha[h] = alpha[SUNDAY + h - HOURS_PER_WEEK]!;
}
