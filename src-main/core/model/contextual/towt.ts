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
import { ridgeLeastSquares, solveSpd } from './linear-solve';
import { medianOf } from './robust';

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
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** LBNL's occupancy rule: positive residual share above which an hour of week counts as occupied. */
const OCCUPIED_SHARE = 0.65;

/** 0 = Monday 00:00 … 167 = Sunday 23:00, UTC. */
export function hourOfWeek(t: number): number {
  const days = Math.floor(t / DAY);
  const dow = (((days + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday: Monday-based index 3
  const hour = Math.floor((t - days * DAY) / HOUR);
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

const YEAR_MS = 365.25 * 86_400_000;

/** Phase of the year in radians. */
function yearPhase(t: number): number {
  return (2 * Math.PI * (t % YEAR_MS)) / YEAR_MS;
}

/** Number of temperature components for K knots. */
export function componentCount(knots: readonly number[]): number {
  return knots.length === 0 ? 0 : knots.length + 1;
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
  if (k === 0) return y;
  const t = Number.isFinite(temp) ? temp : m.fillTemp;
  // Inline components: this runs once per reading and meter.
  y += m.beta[off]! * Math.min(t - m.knots[0]!, 0);
  for (let j = 1; j < k; j++) y += m.beta[off + j]! * Math.min(Math.max(t - m.knots[j - 1]!, 0), m.knots[j]! - m.knots[j - 1]!);
  y += m.beta[off + k]! * Math.max(t - m.knots[k - 1]!, 0);
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

/** Knots at evenly spaced quantiles of the training temperatures (unit-free: °C or °F alike). */
export function quantileKnots(temps: Float64Array, count: number): number[] {
  const finite = temps.filter(Number.isFinite).sort();
  if (finite.length < 2 * (count + 1) || count < 1) return [];
  const knots: number[] = [];
  for (let j = 1; j <= count; j++) {
    const v = finite[Math.floor((j / (count + 1)) * (finite.length - 1))]!;
    if (knots.length === 0 || v > knots[knots.length - 1]! + 1e-9) knots.push(v);
  }
  return knots;
}

/** LBNL occupancy: temperature-only fit, then the share of positive residuals per hour of week. */
function occupiedHours(d: TowtData, knots: number[], fillTemp: number): number[] {
  const n = d.y.length;
  const p = knots.length + 2;
  const x = new Float64Array(n * p);
  const comps = new Float64Array(knots.length + 1);
  for (let i = 0; i < n; i++) {
    const t = d.temp && Number.isFinite(d.temp[i]!) ? d.temp[i]! : fillTemp;
    temperatureComponents(knots, t, comps);
    x[i * p] = 1;
    x.set(comps, i * p + 1);
  }
  const coef = ridgeLeastSquares(x, n, p, d.y, 1e-6 * n, d.weights);
  const pos = new Float64Array(SLOTS);
  const cnt = new Float64Array(SLOTS);
  for (let i = 0; i < n; i++) {
    if (d.weights && d.weights[i] === 0) continue;
    let f = 0;
    for (let j = 0; j < p; j++) f += coef[j]! * x[i * p + j]!;
    const h = d.how[i]!;
    cnt[h]!++;
    if (d.y[i]! - f > 0) pos[h]!++;
  }
  return Array.from(cnt, (c, h) => (c > 0 && pos[h]! / c > OCCUPIED_SHARE ? 1 : 0));
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
  const n = d.y.length;
  const fillTemp = fillTempIn ?? (d.temp ? medianOf(d.temp.filter(Number.isFinite)) : NaN);
  const useTemp = knots.length > 0 && d.temp !== null && Number.isFinite(fillTemp);
  const k = useTemp ? knots : [];
  const occupied = useTemp ? (occupiedIn ?? occupiedHours(d, k, fillTemp)) : new Array<number>(SLOTS).fill(0);
  const mt = componentCount(k);
  const seasonal = !!d.time;
  const m = mt + (seasonal ? 2 : 0);
  const q = 2 * m;
  const dsum = new Float64Array(SLOTS);
  const rH = new Float64Array(SLOTS);
  const b = new Float64Array(SLOTS * Math.max(q, 1));
  const c = new Float64Array(q * q);
  const rT = new Float64Array(q);
  const comps = new Float64Array(Math.max(m, 1));
  for (let i = 0; i < n; i++) {
    const w = d.weights ? d.weights[i]! : 1;
    if (w === 0) continue;
    const y = d.y[i]!;
    const h = d.how[i]!;
    dsum[h]! += w;
    rH[h]! += w * y;
    if (m === 0) continue;
    if (useTemp) temperatureComponents(k, Number.isFinite(d.temp![i]!) ? d.temp![i]! : fillTemp, comps);
    if (seasonal) {
      const a = yearPhase(d.time![i]!);
      comps[mt] = Math.sin(a);
      comps[mt + 1] = Math.cos(a);
    }
    const off = occupied[h] ? 0 : m;
    for (let j = 0; j < m; j++) {
      const wc = w * comps[j]!;
      b[h * q + off + j]! += wc;
      rT[off + j]! += wc * y;
      for (let l = 0; l <= j; l++) c[(off + j) * q + off + l]! += wc * comps[l]!;
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
  return { knots: [...k], occupied, alpha: Array.from(alpha), beta: Array.from(beta), fillTemp: useTemp ? fillTemp : 0, seasonal };
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
