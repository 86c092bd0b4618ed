/**
 * The contextual detector (README "The model"): per building and meter an
 * expected load from a time-of-week-and-temperature baseline, then four
 * members scored in robust standard deviations —
 *
 *   residual   how far the reading is above its expected value (max over meters);
 *   sustained  the trailing-window mean of that scaled residual (slow creep, degradation);
 *   rules      stuck sensor, dropout, jump (a hit scores twice the threshold);
 *   forest     an Isolation Forest on context features (residuals, hour, weekday, temperature);
 *
 * combined by a weighted maximum u = maxₘ wₘ·sₘ and calibrated to
 * score = u / (u + threshold) in [0, 1), so 0.5 is the one threshold and the
 * member and feature that reached it explain the flag.
 */
import { fmix32 } from '../../data/rng';
import { fitIsolationForest, scoreSamples } from '../isolation-forest';
import type { IForestModel } from '../types';
import { bandSpreads, fitDesign, spreadIndex, levelOf, robustTowt, temperatureFrame, type SharedDesign } from './baseline';
import { absQuantile, finiteMedianAt, medianOf, robustSigma } from './robust';
import { isDropout, markStuckRuns } from './rules';
import { adjacent, buildingSeries, type BuildingSeries } from './series';
import { loadRatio, loadRatiosAt } from './load-scale';
import {
  beyond,
  blockSupports,
  clampToSupport,
  extrapolationOf,
  fleetSupport,
  intervalTop,
  outsideInterval,
  supportOf,
  temperatureSupport,
  type Extrapolation,
} from './unseen';
import { closedDayCount, closedDaysOf, MIN_CLOSED_DAYS } from './day-type';
import { predictProfiles } from './profile-predict';
import { contextColumns, forestScores, residualColumns } from './forest-member';
import { yearlyTerms } from './yearly-terms';
import { fromPlaces } from './places';
import {
  designFits,
  hourOfWeek,
  predictDesign,
  predictTowt,
  slotGram,
  slotOf,
  SLOTS,
  towtDesign,
  type SlotGram,
  type TowtDesign,
  type TowtModel,
  type TowtTerms,
  type YearlyTerms,
} from './towt';
import {
  DEFAULT_SETTINGS,
  MEMBERS,
  RULES,
  type BuildingModel,
  type ContextualInput,
  type ContextualModel,
  type ContextualScores,
  type ContextualSettings,
  type MemberName,
  type MeterModel,
} from './types';
import { HOUR_MS } from '../../../contract/shared/time';

/** Stuck-rule candidates whose training readings sit in repeat runs more often than this are not watched. */
const STUCK_NATURAL_SHARE = 0.05;
/** Scaled residuals are clipped here before averaging, so one huge reading is not "sustained". */
const SUSTAINED_CLIP = 4;
const FLEET_ROWS = 200_000;

export interface FitHooks {
  progress?(done: number, total: number): void;
}

interface Resolved {
  meters: MeterModel[];
  /** Multiplier of the baseline's predictions and spreads (the level for the fleet model, else 1). */
  scale: number[];
  fleet: boolean;
  /**
   * Scoring only (absent in training passes, whose scaled residuals set the sustained and jump spreads as they always did):
   * how residuals widen at temperatures beyond the training range (unseen.ts), and spreads grown with the load (load-scale.ts).
   */
  extrapolation?: Extrapolation | null;
  loadScaled?: boolean;
  /** The design of the building's rows its fit built (fitBuildingModels' `designs`): the pass's profiles need not build it again. */
  design?: FitDesign;
  /** Scoring only: every row's yearly terms, computed once for the slice (yearly-terms.ts). */
  yearly?: YearlyTerms;
}

/**
 * A building's design (SharedDesign) with what its meters' models predicted at the rows they were fitted on
 * (`slots`, per position of the building's rows): one of the two day profiles the pass computes at each row
 * (the normal slot, or the closed-day slot where the fit had a closed day), which profiles takes from here.
 */
type FitDesign = SharedDesign & { fitted?: Fitted };

interface Fitted {
  slots: Int32Array;
  /** Per meter, predictDesign of its model at slots[k]. */
  predicted: Float64Array[];
}

function hoursOfWeek(time: Float64Array): Int32Array {
  const how = new Int32Array(time.length);
  for (let i = 0; i < time.length; i++) how[i] = Number.isFinite(time[i]!) ? hourOfWeek(time[i]!) : 0;
  return how;
}

/** values[rows[k]] for each k, in a plain loop (a typed array's from with a callback costs several times as much). */
function pickInt(values: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]!]!;
  return out;
}

function pick(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]!]!;
  return out;
}

/** pick for the other typed arrays of a pass (off the hot paths, which keep pick's one shape). */
function pickTyped<T extends Int32Array | Int16Array | Uint8Array>(values: T, rows: Int32Array): T {
  const out = new (values.constructor as { new (n: number): T })(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]!]!;
  return out;
}

/** What each day profile expects per meter (scaled), per position of one building's rows. */
interface Profiles {
  normal: Float64Array[];
  closed: Float64Array[];
  /** Per meter, the design its expectations were computed from (one object for the meters sharing it). */
  designs: TowtDesign[];
}

/**
 * Both profiles' expectations for one building: the temperature and yearly
 * components are computed once per reading (towtDesign) and shared by every
 * meter and both profiles.
 */
function profiles(
  input: ContextualInput,
  how: Int32Array,
  s: BuildingSeries,
  r: Resolved,
  given: { design: TowtDesign; terms: TowtTerms; fitted?: Fitted } | null = null,
): Profiles {
  const nb = s.rows.length;
  const normal: Float64Array[] = [];
  const closed: Float64Array[] = [];
  const designs: TowtDesign[] = [];
  // A design of these rows built already (the fit's) serves every model with its terms.
  let like: TowtTerms | null = given ? given.terms : null;
  let design: TowtDesign | null = given ? given.design : null;
  for (let m = 0; m < input.meters.length; m++) {
    const towt = r.meters[m]!.towt;
    if (!like || !design || !designFits(towt, design, like)) {
      design = towtDesign(towt, input.temperature, input.time, s.rows, r.yearly ?? null);
      like = towt;
    }
    const nm = new Float64Array(nb);
    const cm = new Float64Array(nb);
    // The fit's predictions (of these models on this design) give one of the two profiles at each row.
    const fitted = given?.fitted && design === given.design ? given.fitted : null;
    if (fitted) {
      const scale = r.scale[m]!;
      const slots = fitted.slots;
      const predicted = fitted.predicted[m]!;
      for (let k = 0; k < nb; k++) {
        const h = how[s.rows[k]!]!;
        if (slots[k] === h) {
          nm[k] = scale * predicted[k]!;
          cm[k] = scale * predictDesign(towt, slotOf(h, true), design, k);
        } else {
          nm[k] = scale * predictDesign(towt, h, design, k);
          cm[k] = scale * predicted[k]!;
        }
      }
    } else predictProfiles(towt, r.scale[m]!, design, how, s.rows, nm, cm);
    normal.push(nm);
    closed.push(cm);
    designs.push(design);
  }
  return { normal, closed, designs };
}

/** Per meter and slot: the scale of a scaled residual (level × the slot's robust spread). */
function slotSpreads(r: Resolved): Float64Array[] {
  return r.meters.map((mm, m) => {
    const out = new Float64Array(SLOTS);
    for (let h = 0; h < SLOTS; h++) out[h] = r.scale[m]! * mm.spread[spreadIndex(mm.towt, h, mm.spread.length / 2)]!;
    return out;
  });
}

/** Day typing of one building: closed flag per position, from the scaled absolute error summed over meters under each profile. */
function dayTypes(
  input: ContextualInput,
  how: Int32Array,
  s: BuildingSeries,
  r: Resolved,
  prof: Profiles,
  spreads: Float64Array[],
): Uint8Array {
  const nb = s.rows.length;
  const en = new Float64Array(nb);
  const ec = new Float64Array(nb);
  const gap = new Float64Array(nb);
  const load = new Float64Array(nb);
  for (let m = 0; m < input.meters.length; m++) {
    const y = input.meters[m]!;
    const nm = prof.normal[m]!;
    const cm = prof.closed[m]!;
    const sp = spreads[m]!;
    // The profiles' gap in units of the meter's typical expected load, so meters of any size or unit count alike.
    let typical = 0;
    for (let k = 0; k < nb; k++) typical += Math.abs(nm[k]!);
    const unit = typical > 0 ? nb / typical : 0;
    for (let k = 0; k < nb; k++) {
      const i = s.rows[k]!;
      const h = how[i]!;
      const a = Math.abs(y[i]! - nm[k]!) / sp[h]!;
      if (Number.isFinite(a)) en[k]! += a;
      // The normal slot's spread for both: the comparison must be in one unit, or a profile with wider spreads wins any bad day.
      const b = Math.abs(y[i]! - cm[k]!) / sp[h]!;
      if (Number.isFinite(b)) ec[k]! += b;
      gap[k]! += Math.abs(nm[k]! - cm[k]!) * unit;
      load[k]! += Math.abs(nm[k]!) * unit;
    }
  }
  return closedDaysOf(s.rows, input.time, en, ec, gap, load);
}

/** Slots, baseline predictions and the scaled residual per meter for one building's rows. */
function residualPass(
  input: ContextualInput,
  how: Int32Array,
  s: BuildingSeries,
  r: Resolved,
  slot: Int32Array,
  expected: Float64Array[],
  z: Float64Array[],
): void {
  const prof = profiles(input, how, s, r, r.design ?? null);
  const spreads = slotSpreads(r);
  const closed = dayTypes(input, how, s, r, prof, spreads);
  for (let k = 0; k < s.rows.length; k++) slot[s.rows[k]!] = slotOf(how[s.rows[k]!]!, closed[k] === 1);
  const ratios = new Float64Array(r.loadScaled ? s.rows.length : 0);
  for (let m = 0; m < input.meters.length; m++) {
    const y = input.meters[m]!;
    const e = expected[m]!;
    const zm = z[m]!;
    const nm = prof.normal[m]!;
    const cm = prof.closed[m]!;
    const sp = spreads[m]!;
    const towt = r.meters[m]!.towt;
    const scale = r.scale[m]!;
    const temp = r.loadScaled ? input.temperature : null;
    for (let k = 0; k < s.rows.length; k++) {
      const i = s.rows[k]!;
      e[i] = closed[k] ? cm[k]! : nm[k]!;
    }
    // The slot's spread, grown with the load the weather adds (load-scale.ts).
    const grown = temp && loadRatiosAt(towt, scale, prof.designs[m]!, s.rows, slot, temp, e, ratios);
    for (let k = 0; k < s.rows.length; k++) {
      const i = s.rows[k]!;
      const unit = grown ? sp[slot[i]!]! * ratios[k]! : sp[slot[i]!]!;
      zm[i] = (y[i]! - e[i]!) / unit;
    }
    if (r.extrapolation && input.temperature) {
      const x = r.extrapolation;
      widenBeyondSupport(x, m, towt, scale, input, s.rows, { y, e, sp, slot, zm });
    }
  }
}

/** Scaled residuals of one meter at temperatures beyond the training range: only the part outside the widened interval counts (unseen.ts). */
function widenBeyondSupport(
  x: Extrapolation,
  m: number,
  towt: TowtModel,
  scale: number,
  input: ContextualInput,
  rows: Int32Array,
  o: { y: Float64Array; e: Float64Array; sp: Float64Array; slot: Int32Array; zm: Float64Array },
): void {
  const temp = input.temperature!;
  const slope = x.slope[m]!;
  const occupied = supportOf(x, m, true);
  const unoccupied = supportOf(x, m, false);
  // Inside both blocks' supports (most readings) nothing changes, whichever block the reading's slot is in.
  const insideLo = Math.max(occupied.lo, unoccupied.lo);
  const insideHi = Math.min(occupied.hi, unoccupied.hi);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    if (temp[i]! >= insideLo && temp[i]! <= insideHi) continue;
    const support = towt.occupied[o.slot[i]!] === 1 ? occupied : unoccupied;
    const d = beyond(support, temp[i]!);
    if (d === 0) continue;
    const at = clampToSupport(support, temp[i]!);
    const edge = scale * predictTowt(towt, o.slot[i]!, at, input.time[i]!);
    const f = x.fleet;
    const fleetGuess = f
      ? edge +
        f.level[m]! *
          (predictTowt(f.towt[m]!, o.slot[i]!, temp[i]!, input.time[i]!) - predictTowt(f.towt[m]!, o.slot[i]!, at, input.time[i]!))
      : NaN;
    // The spread at the top of the interval (unseen.ts): the most the reading may plausibly draw.
    const top = intervalTop(o.e[i]!, edge, slope * d, fleetGuess);
    const unit = o.sp[o.slot[i]!]! * loadRatio(towt, scale, o.slot[i]!, temp[i]!, o.e[i]!, top);
    o.zm[i] = outsideInterval(o.y[i]!, o.e[i]!, edge, slope * d, fleetGuess) / unit;
  }
}

/** Trailing time-window mean of clipped z (NaN while the window holds less than half its readings). */
function trailingMean(z: Float64Array, time: Float64Array, s: BuildingSeries, windowHours: number, out: Float64Array): void {
  const span = windowHours * HOUR_MS;
  const need = Math.max(1, Math.floor((span / s.step) * 0.5));
  let sum = 0;
  let count = 0;
  let lo = 0;
  for (let k = 0; k < s.rows.length; k++) {
    const i = s.rows[k]!;
    const v = z[i]!;
    if (Number.isFinite(v)) {
      sum += Math.max(-SUSTAINED_CLIP, Math.min(SUSTAINED_CLIP, v));
      count++;
    }
    while (time[s.rows[lo]!]! <= time[i]! - span) {
      const w = z[s.rows[lo]!]!;
      if (Number.isFinite(w)) {
        sum -= Math.max(-SUSTAINED_CLIP, Math.min(SUSTAINED_CLIP, w));
        count--;
      }
      lo++;
    }
    out[i] = count >= need ? sum / count : NaN;
  }
}

/** The 99.9th percentile of |Δz| in training: a jump must beat the largest ordinary changes, not a typical one. */
function extremeChange(jumps: Float64Array): number {
  return absQuantile(jumps, 0.999);
}

export function forestFeatureNames(meters: readonly string[]): string[] {
  return [...meters.map((m) => `z_${m}`), 'hour', 'weekday', 'temperature'];
}

/** The residual pass's per-row results (NaN, or 0 for slot and jump, on rows it has not reached). */
export interface PassArrays {
  /** Hour of week, or closed-day hour, per row. */
  slot: Int32Array;
  expected: Float64Array[];
  z: Float64Array[];
  sustained: Float64Array[];
  jump: Float64Array[];
}

interface Pass extends PassArrays {
  how: Int32Array;
  series: BuildingSeries[];
}

/**
 * Pass arrays for n rows and the given number of meters, before any building's pass. `memory` allocates
 * their storage (shared memory, say, for threads that each write their buildings' rows). `filled` false
 * leaves them as allocated (zeros), for a caller that overwrites every row: filling a year of 100 buildings'
 * arrays took this thread 0.05–0.15 s.
 */
export function emptyPass(
  n: number,
  meters: number,
  memory: (bytes: number) => ArrayBufferLike = (bytes) => new ArrayBuffer(bytes),
  filled = true,
): PassArrays {
  const values = (fill: number) =>
    Array.from({ length: meters }, () => (filled ? new Float64Array(memory(8 * n)).fill(fill) : new Float64Array(memory(8 * n))));
  return { slot: new Int32Array(memory(4 * n)), expected: values(NaN), z: values(NaN), sustained: values(NaN), jump: values(0) };
}

/** One building's residual pass, trailing means and jumps, written at its rows of `out`. */
function seriesPass(
  input: ContextualInput,
  settings: ContextualSettings,
  how: Int32Array,
  s: BuildingSeries,
  r: Resolved,
  out: PassArrays,
): void {
  const { slot, expected, z, sustained, jump } = out;
  residualPass(input, how, s, r, slot, expected, z);
  // Adjacency is the same for every meter: decided once per reading (jumpSize's rule, spread 1).
  const adj = new Uint8Array(s.rows.length);
  for (let k = 1; k < s.rows.length; k++) adj[k] = adjacent(input.time, s, k) ? 1 : 0;
  for (let m = 0; m < input.meters.length; m++) {
    trailingMean(z[m]!, input.time, s, settings.windowHours, sustained[m]!);
    const zm = z[m]!;
    const jm = jump[m]!;
    for (let k = 0; k < s.rows.length; k++) {
      const i = s.rows[k]!;
      const d = adj[k] ? zm[i]! - zm[s.rows[k - 1]!]! : 0;
      jm[i] = Number.isFinite(d) ? d : 0;
    }
  }
}

/**
 * Everything but the forest and the combination, for rows resolved building by
 * building, written into `into`. Buildings `done` accepts are left as they are
 * in `into` (their pass was made elsewhere: it depends on their own rows only).
 */
function contextPass(
  input: ContextualInput,
  settings: ContextualSettings,
  resolve: (s: BuildingSeries, b: number) => Resolved,
  into: PassArrays | null = null,
  done: (b: number) => boolean = () => false,
  known: { how: Int32Array; series: BuildingSeries[] } | null = null,
): Pass & { resolved: Resolved[] } {
  // `known`: the input's hours of the week and building series, when the caller has them (a fit's: not twice per fit).
  const how = known?.how ?? hoursOfWeek(input.time);
  const series = known?.series ?? buildingSeries(input.time, input.groups?.codes ?? null);
  const out = into ?? emptyPass(input.time.length, input.meters.length);
  const resolved: Resolved[] = [];
  for (const [b, s] of series.entries()) {
    const r = resolve(s, b);
    resolved.push(r);
    if (!done(b)) seriesPass(input, settings, how, s, r, out);
  }
  return { how, series, ...out, resolved };
}

/**
 * Per reading, the first of `columns` whose stuck run covers it. `marked`, given, holds each column's runs as
 * markStuckRuns marks them over these rows (the fit's own check of the candidates made them already).
 */
function stuckHits(
  input: ContextualInput,
  columns: number[],
  p: Pick<Pass, 'series'>,
  hours: number,
  marked: ReadonlyMap<number, Uint8Array> | null = null,
): { hit: Uint8Array; column: Int16Array } {
  const n = input.time.length;
  const hit = new Uint8Array(n);
  const column = new Int16Array(n).fill(-1);
  const scratch = new Uint8Array(n);
  for (const c of columns) {
    let one = marked?.get(c);
    if (!one) {
      one = scratch.fill(0);
      for (const s of p.series) markStuckRuns(input.stuckColumns[c]!, input.time, s, hours, one);
    }
    for (let i = 0; i < n; i++)
      if (one[i] && !hit[i]) {
        hit[i] = 1;
        column[i] = c;
      }
  }
  return { hit, column };
}

/** Residual and sustained members of one meter over a building's rows: raise the running maxima (start at 0). */
function memberPass(
  rows: Int32Array,
  m: number,
  z: Float64Array,
  sustained: Float64Array,
  sustainedSpread: number,
  res: Float64Array,
  resFeature: Int16Array,
  sus: Float64Array,
  susFeature: Int16Array,
): void {
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const zm = z[i]!;
    if (zm > res[i]!) {
      res[i] = zm;
      resFeature[i] = m;
    }
    // A reading sustains the excess only as far as it shares it: the trailing mean alone would keep
    // flagging ordinary readings for a day after a short, large fault (degradation's readings each run high).
    const sm = Math.min(sustained[i]!, Math.max(-SUSTAINED_CLIP, Math.min(SUSTAINED_CLIP, zm))) / sustainedSpread;
    if (sm > sus[i]!) {
      sus[i] = sm;
      susFeature[i] = m;
    }
  }
}

/**
 * The part of a jump the reading itself carries: a jump up counts as far as the reading is above its
 * expected value, a jump down as far as it is below. The return to normal after a fault is a jump too,
 * but its reading is ordinary and must not be flagged.
 */
function sharedJump(jump: number, z: number): number {
  const own = jump > 0 ? Math.min(jump, z) : Math.min(-jump, -z);
  return Number.isFinite(own) ? Math.max(0, own) : 0;
}

/** Dropout and jump rules of one meter over a building's rows (rule codes as in RULES; a dropout beats a jump). */
function rulePass(
  rows: Int32Array,
  m: number,
  values: Float64Array,
  expected: Float64Array,
  slot: Int32Array,
  clearly: Float64Array,
  jump: Float64Array,
  z: Float64Array,
  jumpSpread: number,
  jumpLimit: number,
  rule: Uint8Array,
  ruleFeature: Int16Array,
): void {
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const hit = rule[i]!;
    if (hit !== 2 && isDropout(values[i]!, expected[i]!, clearly[slot[i]!]!)) {
      rule[i] = 2;
      ruleFeature[i] = m;
    } else if (!hit && sharedJump(jump[i]!, z[i]!) / jumpSpread > jumpLimit) {
      rule[i] = 3;
      ruleFeature[i] = m;
    }
  }
}

/** Combines the members for every row. `stuckColumnIndex` maps the input's stuck columns to the model's. */
function combine(
  input: ContextualInput,
  p: Pass & { resolved: Resolved[] },
  settings: ContextualSettings,
  stuck: { hit: Uint8Array; column: Int16Array },
  forestScore: Float64Array,
  forestCenter: number,
  forestScale: number,
): Omit<ContextualScores, 'warnings'> {
  const n = input.time.length;
  const meters = input.meters.length;
  const memberScores = Object.fromEntries(MEMBERS.map((m) => [m, new Float64Array(n)])) as Record<MemberName, Float64Array>;
  const scores = new Float64Array(n);
  const flags = new Uint8Array(n);
  const member = new Uint8Array(n);
  const feature = new Int16Array(n);
  const rule = new Uint8Array(n);
  const resFeature = new Int16Array(n);
  const susFeature = new Int16Array(n);
  const ruleFeature = new Int16Array(n);
  // Member by member in column passes (each a short loop V8 optimises well), meters in order so the
  // first meter wins ties and a dropout overrides an earlier meter's jump, as a row-by-row scan would.
  for (let b = 0; b < p.series.length; b++) {
    const rows = p.series[b]!.rows;
    const r = p.resolved[b]!;
    for (let m = 0; m < meters; m++) {
      const mm = r.meters[m]!;
      const clearly = new Float64Array(SLOTS);
      for (let h = 0; h < SLOTS; h++) clearly[h] = 3 * r.scale[m]! * mm.spread[spreadIndex(mm.towt, h, mm.spread.length / 2)]!;
      memberPass(
        rows,
        m,
        p.z[m]!,
        p.sustained[m]!,
        mm.sustainedSpread,
        memberScores.residual,
        resFeature,
        memberScores.sustained,
        susFeature,
      );
      rulePass(
        rows,
        m,
        input.meters[m]!,
        p.expected[m]!,
        p.slot,
        clearly,
        p.jump[m]!,
        p.z[m]!,
        mm.jumpSpread,
        settings.jumpLimit,
        rule,
        ruleFeature,
      );
    }
  }
  const ruleScore = 2 * settings.threshold;
  const mRes = memberScores.residual;
  const mSus = memberScores.sustained;
  const mRules = memberScores.rules;
  const mForest = memberScores.forest;
  const { residual: wRes, sustained: wSus, rules: wRules, forest: wForest } = settings.weights;
  const threshold = settings.threshold;
  for (let i = 0; i < n; i++) {
    let ruleHit = rule[i]!;
    let ruleAt = ruleFeature[i]!;
    if (ruleHit !== 2 && stuck.hit[i]) {
      ruleHit = 1;
      ruleAt = meters + stuck.column[i]!;
    }
    const res = mRes[i]!;
    const sus = mSus[i]!;
    const fs = forestScale > 0 ? (forestScore[i]! - forestCenter) / forestScale : 0;
    const rs = ruleHit ? ruleScore : 0;
    mRules[i] = rs;
    mForest[i] = fs;
    // Weighted maximum, first member winning ties.
    let u = wRes * res;
    let best = 0;
    let bestFeature = resFeature[i]!;
    if (wSus * sus > u) {
      u = wSus * sus;
      best = 1;
      bestFeature = susFeature[i]!;
    }
    if (wRules * rs > u) {
      u = wRules * rs;
      best = 2;
      bestFeature = ruleAt;
    }
    if (wForest * fs > u) {
      u = wForest * fs;
      best = 3;
      bestFeature = resFeature[i]!;
    }
    u = Math.max(0, u);
    scores[i] = u / (u + threshold);
    flags[i] = u > threshold ? 1 : 0;
    member[i] = best;
    feature[i] = bestFeature;
    rule[i] = ruleHit;
  }
  return { scores, flags, member, feature, rule, memberScores, expected: p.expected, z: p.z };
}

/**
 * combine's inputs at `rows` (ascending) only: the rows' values, and each building's rows among them renumbered
 * in its order. combine works row by row (a building's spreads and weights, the row's own pass values), so its
 * result at position k is the whole pass's at rows[k].
 */
function passAt(
  input: ContextualInput,
  p: Pass & { resolved: Resolved[] },
  stuck: { hit: Uint8Array; column: Int16Array },
  rows: Int32Array,
  places: Int32Array | null = null,
): { input: ContextualInput; pass: Pass & { resolved: Resolved[] }; stuck: { hit: Uint8Array; column: Int16Array } } {
  const position = new Int32Array(input.time.length).fill(-1);
  for (let k = 0; k < rows.length; k++) position[rows[k]!] = k;
  const series = p.series.map((s) => {
    let count = 0;
    for (let j = 0; j < s.rows.length; j++) if (position[s.rows[j]!]! >= 0) count++;
    const own = new Int32Array(count);
    for (let j = 0, k = 0; j < s.rows.length; j++) if (position[s.rows[j]!]! >= 0) own[k++] = position[s.rows[j]!]!;
    return { ...s, rows: own };
  });
  const f = (a: Float64Array): Float64Array => pick(a, rows);
  return {
    // What combine reads of the input: its length and the meters (the stuck rule's hits come in `stuck`); the
    // temperature and the stuck-rule candidates are not gathered (eight columns at the end of a large refit).
    input: {
      time: f(input.time),
      groups: input.groups && { codes: pickTyped(input.groups.codes, rows), dictionary: input.groups.dictionary },
      temperature: null,
      meters: input.meters.map(f),
      stuckColumns: [],
    },
    pass: {
      how: pickTyped(p.how, rows),
      series,
      resolved: p.resolved,
      // With `places`, the arrays but z are laid out elsewhere (Prefitted.places).
      slot: places ? pickPlaced(p.slot, places, rows) : pickTyped(p.slot, rows),
      expected: p.expected.map((a) => (places ? pickPlaced(a, places, rows) : f(a))),
      z: p.z.map(f),
      sustained: p.sustained.map((a) => (places ? pickPlaced(a, places, rows) : f(a))),
      jump: p.jump.map((a) => (places ? pickPlaced(a, places, rows) : f(a))),
    },
    stuck: { hit: pickTyped(stuck.hit, rows), column: pickTyped(stuck.column, rows) },
  };
}

/**
 * A building's size for the fleet baseline: the median ratio of its readings
 * to the fleet's expectation (in level units) over the given rows, so the
 * week's weather does not masquerade as a size.
 */
function fleetLevels(fleet: MeterModel[], input: ContextualInput, how: Int32Array, rows: Int32Array): number[] {
  return input.meters.map((y, m) => {
    const ratio = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      const f = predictTowt(fleet[m]!.towt, how[i]!, input.temperature ? input.temperature[i]! : NaN, input.time[i]!);
      ratio[k] = f > 0 ? y[i]! / f : NaN;
    }
    return levelOf(ratio);
  });
}

export interface FitResult {
  model: ContextualModel;
  /** The training rows scored by the fitted model (for metrics without a second pass). */
  training: ContextualScores;
}

export interface ContextualNames {
  meters: string[];
  /** Candidate columns for the stuck rule (the input's stuckColumns, in order). */
  stuckCandidates: string[];
  temperature: string | null;
}

/** The settings a fit uses: the defaults under the overrides. */
export function contextualSettings(overrides: Partial<ContextualSettings> = {}): ContextualSettings {
  return { ...DEFAULT_SETTINGS, ...overrides, weights: { ...DEFAULT_SETTINGS.weights, ...overrides.weights } };
}

/**
 * Step 1 of fitContextual: each building's own baseline (or none, when its
 * history is too short), one per building of the input in code order. A
 * building's model depends on its own rows only, so callers may fit
 * disjoint sets of buildings apart (the backend does, on two threads) and
 * hand the union to fitContextual.
 */
export function fitBuildingModels(
  input: ContextualInput,
  settings: ContextualSettings,
  hooks: FitHooks = {},
  typing: DayTyping | null = null,
  designs: Map<number, FitDesign> | null = null,
): BuildingModel[] {
  const how = hoursOfWeek(input.time);
  const series = buildingSeries(input.time, input.groups?.codes ?? null);
  const idOf = (code: number): string => (code >= 0 && input.groups ? input.groups.dictionary[code]! : '');
  const total = series.length;
  const buildings: BuildingModel[] = [];
  // 1. Own baselines where there is history enough.
  for (const [b, s] of series.entries()) {
    const levels = input.meters.map((y) => levelOf(y, s.rows));
    let meters: MeterModel[] | null = null;
    if (hasHistory(s, settings)) {
      const howRows = pickInt(how, s.rows);
      const temp = input.temperature ? pick(input.temperature, s.rows) : null;
      const times = pick(input.time, s.rows);
      const frame = temperatureFrame(temp, settings.knots);
      const shared = fitDesign({ temp, time: times }, frame);
      const ys = input.meters.map((col) => pick(col, s.rows));
      // The first fit only has to tell closed days apart: one reweighting is enough there.
      // `same`: the slots are the first fit's (no closed days), so the refit continues its reweighting instead of starting over.
      let firstGram: SlotGram | null = null;
      // Each meter's predictions at the rows of the last fitMeters, at its slots (a day profile the pass need not compute again).
      let predicted: Float64Array[] = [];
      // `final`: the model kept (two reweightings), else the first fit (one); `same`: continue `before`'s reweighting.
      const fitMeters = (slots: Int32Array, before: MeterModel[] | null, final: boolean, same = false): MeterModel[] => {
        const gram = same && firstGram ? firstGram : slotGram(shared.design, slots);
        if (!before) firstGram = gram;
        predicted = [];
        return ys.map((y, m) => {
          // Occupied hours (LBNL's rule) are judged again once closed days have slots of their own: judged with a school's
          // holidays among its weekdays, a weekday hour is warm-weather-like in too many weeks and loses its heating slope.
          const occupied = same && before ? before[m]!.towt.occupied : null;
          const from = same && before ? { model: before[m]!.towt, done: 1 } : null;
          const towt = robustTowt({ y, how: slots, temp, time: times }, frame, occupied, final ? 2 : 1, { ...shared, gram }, from);
          const res = new Float64Array(y.length);
          const at = new Float64Array(y.length);
          for (let k = 0; k < y.length; k++) {
            at[k] = predictDesign(towt, slots[k]!, shared.design, k);
            res[k] = y[k]! - at[k]!;
          }
          predicted.push(at);
          return { towt, spread: bandSpreads(res, slots, towt, levels[m]!), sustainedSpread: 1, jumpSpread: 1 };
        });
      };
      // Fit on hours of the week, find the days that look closed, refit with them as closed days; or, given a
      // typing model for the building, find them with it and fit once.
      const typedBy = typing?.get(idOf(s.code)) ?? null;
      const first = typedBy ? null : fitMeters(howRows, null, false);
      const typer = typedBy ?? first!;
      const r: Resolved = { meters: typer, scale: typer.map(() => 1), fleet: false };
      const typerFit = first ? { ...shared, fitted: { slots: howRows, predicted } } : shared;
      const closed = dayTypes(input, how, s, r, profiles(input, how, s, r, typerFit), slotSpreads(r));
      // A day type needs recurring days: a lone "closed" day is more likely a fault that would fit itself.
      if (closedDayCount(s.rows, input.time, closed) < MIN_CLOSED_DAYS) closed.fill(0);
      const anyClosed = closed.some((c) => c === 1);
      let slots = howRows;
      if (anyClosed) {
        slots = new Int32Array(howRows.length);
        for (let k = 0; k < howRows.length; k++) slots[k] = slotOf(howRows[k]!, closed[k] === 1);
      }
      meters = fitMeters(slots, first, true, first !== null && !anyClosed);
      designs?.set(b, { ...shared, fitted: { slots, predicted } });
    }
    buildings.push({ id: idOf(s.code), rows: s.rows.length, levels, meters });
    hooks.progress?.(b + 1, total);
  }
  return buildings;
}

/**
 * Meter models, by building id, that type a building's days (closed or not) in place of the first of its two
 * fits: a refit on all readings types them with the fit on their earlier share (which the holdout evaluated),
 * then fits once. A building without an entry is typed by its own first fit, as without any.
 */
export type DayTyping = ReadonlyMap<string, MeterModel[]>;

/** The day typing a fit's buildings give a refit of the same buildings: those with their own baseline. */
export function dayTypingOf(buildings: readonly BuildingModel[]): DayTyping {
  return new Map(buildings.flatMap((b) => (b.meters ? [[b.id, b.meters] as const] : [])));
}

/** What the fleet baseline needs to know of a building before the buildings are fitted: whether it gets its own baseline, and its levels. */
export interface BuildingBasis {
  own: boolean;
  levels: number[];
}

function hasHistory(s: BuildingSeries, settings: ContextualSettings): boolean {
  return (s.rows.length * s.step) / HOUR_MS >= settings.minHistoryHours;
}

/** Each building's basis (in code order), as fitBuildingModels decides and computes it. */
export function buildingBases(
  input: ContextualInput,
  settings: ContextualSettings,
  series: BuildingSeries[] = buildingSeries(input.time, input.groups?.codes ?? null),
): BuildingBasis[] {
  return series.map((s) => ({
    own: hasHistory(s, settings),
    levels: input.meters.map((y) => levelOf(y, s.rows)),
  }));
}

/**
 * Step 2 of fitContextual: the fleet baseline, from every building with its
 * own baseline (else every building), in units of its level. It needs the
 * buildings' bases only, not their models, so a caller may fit it while
 * other threads fit the buildings.
 */
export function fitFleet(
  input: ContextualInput,
  settings: ContextualSettings,
  bases: readonly BuildingBasis[],
  series: BuildingSeries[] = buildingSeries(input.time, input.groups?.codes ?? null),
  how: Int32Array = hoursOfWeek(input.time),
): MeterModel[] {
  if (bases.length !== series.length) throw new Error(`${bases.length} building bases for the input's ${series.length} buildings`);
  const pool = series.filter((_, b) => bases[b]!.own);
  const poolBases = pool.length ? bases.filter((bb) => bb.own) : bases;
  const fleetSeries = pool.length ? pool : series;
  // The fleet only serves short or unseen buildings: a stride sample of at most FLEET_ROWS readings is plenty.
  const pooled = fleetSeries.reduce((acc, s) => acc + s.rows.length, 0);
  const stride = Math.max(1, Math.ceil(pooled / FLEET_ROWS));
  // Every stride-th row of each building, in building order (a loop: not a million boxed indices).
  const fleetRows = new Int32Array(fleetSeries.reduce((acc, s) => acc + Math.ceil(s.rows.length / stride), 0));
  let at = 0;
  for (const s of fleetSeries) for (let k = 0; k < s.rows.length; k += stride) fleetRows[at++] = s.rows[k]!;
  const fleetHow = pickInt(how, fleetRows);
  const fleetTemp = input.temperature ? pick(input.temperature, fleetRows) : null;
  const fleetTime = pick(input.time, fleetRows);
  const levelByRow = (m: number): Float64Array => {
    const out = new Float64Array(fleetRows.length);
    let k = 0;
    fleetSeries.forEach((s, b) => {
      const level = poolBases[b]!.levels[m]!;
      for (let j = 0; j < s.rows.length; j += stride, k++) out[k] = level;
    });
    return out;
  };
  const fleetFrame = temperatureFrame(fleetTemp, settings.knots);
  const fleetShared = fitDesign({ temp: fleetTemp, time: fleetTime }, fleetFrame);
  const fleetDesign = { ...fleetShared, gram: slotGram(fleetShared.design, fleetHow) };
  return input.meters.map((col, m) => {
    const level = levelByRow(m);
    const y = new Float64Array(fleetRows.length);
    for (let k = 0; k < y.length; k++) y[k] = level[k]! > 0 ? col[fleetRows[k]!]! / level[k]! : NaN;
    const towt = robustTowt({ y, how: fleetHow, temp: fleetTemp, time: fleetTime }, fleetFrame, null, undefined, fleetDesign);
    const res = new Float64Array(y.length);
    for (let k = 0; k < y.length; k++) res[k] = y[k]! - predictDesign(towt, fleetHow[k]!, fleetDesign.design, k);
    return { towt, spread: bandSpreads(res, fleetHow, towt, 1), sustainedSpread: 1, jumpSpread: 1 };
  });
}

/** A building's own spreads of the sustained mean and of jumps, from its rows of the training pass. */
function setOwnSpreads(pass: PassArrays, rows: Int32Array, meters: MeterModel[]): void {
  for (let m = 0; m < meters.length; m++) {
    const sus = robustSigma(pick(pass.sustained[m]!, rows));
    const jmp = extremeChange(pick(pass.jump[m]!, rows));
    meters[m]!.sustainedSpread = sus > 0 ? sus : 1;
    meters[m]!.jumpSpread = jmp > 0 ? jmp : 1;
  }
}

/** What may be fitted apart (on other threads) and handed to fitContextual: equal to what it would compute itself. */
export interface Prefitted {
  /** fitBuildingModels, or fitBuildingPass's buildings. */
  buildings: BuildingModel[];
  /** fitBuildingPass's pass (rows of buildings without their own baseline untouched); null = none made. */
  pass: PassArrays | null;
  /** fitFleet; null = fit here. */
  fleet: MeterModel[] | null;
  /** fitFrame of the same input and settings; absent = computed here. */
  frame?: FitFrame | null;
  /**
   * Given, `pass` holds z in row order and its other arrays (slot, expected, sustained, jump) laid out elsewhere:
   * row i's at places[i] (a shared fit's slices). Only z is read at every row (the forest's columns); a sampled fit
   * reads the rest at its sampled rows, and finish puts them in row order first. Every building must have its own
   * baseline (a fleet building's pass is written here, in row order).
   */
  places?: Int32Array | null;
}

/** values[places[rows[k]]] for each k: a column laid out elsewhere, read at rows. */
function pickPlaced<T extends Float64Array | Int32Array>(values: T, places: Int32Array, rows: Int32Array): T {
  const out = new (values.constructor as { new (n: number): T })(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[places[rows[k]!]!]!;
  return out;
}

/** A pass whose arrays but z are laid out by `places` (Prefitted.places), with every array in row order. */
function passInRows(pass: PassArrays, places: Int32Array): PassArrays {
  const inRows = <T extends Float64Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as { new (n: number): T })(places.length);
    fromPlaces(out, a, places);
    return out;
  };
  return {
    slot: inRows(pass.slot),
    expected: pass.expected.map(inRows),
    z: pass.z,
    sustained: pass.sustained.map(inRows),
    jump: pass.jump.map(inRows),
  };
}

/**
 * What fitContextualUntilForest computes from its input alone, whatever the buildings' models: hours of the week,
 * building series, which stuck-rule candidates are watched and their runs, the forest's context columns, and the
 * rows calibrating the forest and (`training`) sampling the training scores with the stuck rule's hits on the training
 * rows. A caller fitting the buildings on two threads computes it before it claims buildings, where the other thread
 * takes more of them, instead of after them, where nothing else is left to share (a year of 100 buildings: ~0.5 CPU-s).
 */
export interface FitFrame {
  rows: number;
  how: Int32Array;
  series: BuildingSeries[];
  /** Candidates watched (indices into input.stuckColumns) and each one's runs over the rows. */
  keep: number[];
  keptRuns: Map<number, Uint8Array>;
  /** hour, weekday, temperature (forestColumns' last three). */
  context: Float64Array[];
  calibration: Int32Array | null;
  /** Present with `training`: trainingScoreRows and the stuck rule's hits on the rows (the model's column indices). */
  training: { sample: Int32Array | null; stuck: { hit: Uint8Array; column: Int16Array } } | null;
}

export function fitFrame(
  input: ContextualInput,
  settings: ContextualSettings,
  training: boolean,
  known: { how: Int32Array; series: BuildingSeries[] } | null = null,
): FitFrame {
  const n = input.time.length;
  const how = known?.how ?? hoursOfWeek(input.time);
  const series = known?.series ?? buildingSeries(input.time, input.groups?.codes ?? null);
  const { keep, keptRuns } = watchedStuckColumns(input, series, settings.stuckHours);
  const tempMedian = input.temperature ? finiteMedianAt(input.temperature) : NaN;
  const fillTemp = Number.isNaN(tempMedian) ? 0 : tempMedian;
  return {
    rows: n,
    how,
    series,
    keep,
    keptRuns,
    context: contextColumns(input, how, fillTemp),
    calibration: calibrationRows(n),
    training: training ? { sample: trainingScoreRows(n), stuck: modelStuckHits(input, keep, keptRuns, series, settings.stuckHours) } : null,
  };
}

/** Which stuck-rule candidates rarely repeat on their own (fitContextual's step 4), with the runs of those kept. */
function watchedStuckColumns(
  input: ContextualInput,
  series: BuildingSeries[],
  hours: number,
): { keep: number[]; keptRuns: Map<number, Uint8Array> } {
  const n = input.time.length;
  const keep: number[] = [];
  const keptRuns = new Map<number, Uint8Array>();
  for (let c = 0; c < input.stuckColumns.length; c++) {
    const one = new Uint8Array(n);
    let marked = 0;
    for (const s of series) marked += markStuckRuns(input.stuckColumns[c]!, input.time, s, hours, one);
    if (marked / n > STUCK_NATURAL_SHARE) continue;
    keep.push(c);
    keptRuns.set(c, one);
  }
  return { keep, keptRuns };
}

/** The stuck rule's hits on the training rows, their feature index referring to the model's stuck columns (`keep`), not the candidates. */
function modelStuckHits(
  input: ContextualInput,
  keep: number[],
  keptRuns: ReadonlyMap<number, Uint8Array>,
  series: BuildingSeries[],
  hours: number,
): { hit: Uint8Array; column: Int16Array } {
  const n = input.time.length;
  const stuck = stuckHits(input, keep, { series }, hours, keptRuns);
  const column = new Int16Array(n);
  for (let i = 0; i < n; i++) column[i] = stuck.column[i]! < 0 ? -1 : keep.indexOf(stuck.column[i]!);
  return { hit: stuck.hit, column };
}

/**
 * Steps 1 and 3 of fitContextual for the buildings with their own baseline:
 * their models (with the spreads of the sustained mean and of jumps) and their
 * residual pass. Both depend on a building's own rows only, so callers may run
 * disjoint sets of buildings apart (the backend does, on two threads) and put
 * the pieces together; rows of buildings left to the fleet stay as emptyPass.
 */
export function fitBuildingPass(
  input: ContextualInput,
  settings: ContextualSettings,
  typing: DayTyping | null = null,
): { buildings: BuildingModel[]; pass: PassArrays } {
  // A slice's few buildings: their designs are kept for the pass (a design per building of a whole fleet would not be).
  const designs = new Map<number, FitDesign>();
  const buildings = fitBuildingModels(input, settings, {}, typing, designs);
  const own = (b: number): Resolved => {
    const meters = buildings[b]!.meters ?? [];
    return { meters, scale: meters.map(() => 1), fleet: false, design: designs.get(b) };
  };
  const pass = contextPass(
    input,
    settings,
    (_, b) => own(b),
    null,
    (b) => !buildings[b]!.meters,
  );
  // What each building's baseline has seen of the weather (unseen.ts), here rather than on the thread joining the slices.
  pass.series.forEach((s, b) => {
    const bm = buildings[b]!;
    const support = temperatureSupport(input.temperature, s.rows);
    if (support) bm.support = support;
    if (!bm.meters) return;
    setOwnSpreads(pass, s.rows, bm.meters);
    const blocks = blockSupports(input.temperature, s.rows, pass.slot, bm.meters);
    if (blocks) bm.blockSupport = blocks;
  });
  const { slot, expected, z, sustained, jump } = pass;
  return { buildings, pass: { slot, expected, z, sustained, jump } };
}

export function fitContextual(
  input: ContextualInput,
  names: ContextualNames,
  overrides: Partial<ContextualSettings> = {},
  hooks: FitHooks = {},
  prefitted: Prefitted | null = null,
  typing: DayTyping | null = null,
): FitResult {
  const step = fitContextualUntilForest(input, names, overrides, hooks, prefitted, typing);
  return step.finish(scoreSamples(step.forest, step.columns));
}

/** fitContextual up to the forest's scores of the training rows, which the caller computes (on several threads, say) and hands to `finish`. */
export interface ForestStep {
  /** The buildings' models (as the finished model holds them). */
  buildings: BuildingModel[];
  forest: IForestModel;
  columns: Float64Array[];
  /** Rows of `columns` whose forest scores set the forest member's center and scale (calibrationRows); null = all. */
  calibration: Int32Array | null;
  /** `scores` must equal scoreSamples(forest, columns). */
  finish(scores: Float64Array): FitResult;
  /**
   * finish's model alone, from the scores of the calibration rows only (scoreSamples of `columns` at
   * `calibration`, or of all of them when it is null): for a fit whose training scores nobody reads.
   */
  finishModel(calibrationScores: Float64Array): ContextualModel;
  /** Rows (ascending) whose training scores finishSample gives (trainingScoreRows); null = all rows (finish gives them). */
  sample: Int32Array | null;
  /**
   * finish's model, with the training scores of the `sample` rows only (in their order), from the forest's scores
   * of those rows (scoreSamples of `columns` at `sample`; they hold the calibration rows): what finish gives at
   * those rows, bit for bit, for a fit whose training scores only feed summary figures.
   */
  finishSample(sampleScores: Float64Array): FitResult;
}

/**
 * The forest member is standardised by the median and robust spread of its scores on the training rows. Up
 * to this many rows, all of them; beyond, a sample of about this many: the median of 100,000 scores is
 * within about 0.004 spreads of all of a year's, and a fit whose training scores nobody reads (the holdout's
 * fit) then walks a seventh of its rows through the forest instead of all.
 */
export const CALIBRATION_ROWS = 100_000;

/**
 * Rows (ascending) calibrating a forest fitted on n training rows: null (all) up to CALIBRATION_ROWS, else each
 * row kept by a hash of its index (fmix32) with probability CALIBRATION_ROWS / n. A hash, not a stride: rows come in
 * building-by-time order, and a stride sharing a factor with the number of buildings would see only some of them.
 */
export function calibrationRows(n: number): Int32Array | null {
  return hashedRows(n, CALIBRATION_ROWS);
}

/**
 * Up to this many training rows, a fit's training scores (the version's score percentiles, anomaly rate and
 * per-building rates) are of every row; beyond, of a hash sample of about this many (trainingScoreRows): on a
 * year of 100 buildings the forest then walks a quarter of the rows and the members are combined for a quarter,
 * at the end of the training where nothing else is left to overlap. The model is the same either way.
 */
export const TRAINING_SCORE_ROWS = 200_000;

/**
 * The training rows whose scores a fit of n rows measures its figures on: null (all) up to TRAINING_SCORE_ROWS, else
 * calibrationRows' hash with probability TRAINING_SCORE_ROWS / n, so the sample holds every calibration row.
 */
export function trainingScoreRows(n: number): Int32Array | null {
  return hashedRows(n, TRAINING_SCORE_ROWS);
}

/** Rows (ascending) of n kept by a hash of their index (fmix32) with probability size / n; null (all) up to size. */
function hashedRows(n: number, size: number): Int32Array | null {
  if (n <= size) return null;
  const below = Math.floor((size / n) * 2 ** 32);
  // Into a typed array, not a list of boxed indices grown a push at a time.
  const keep = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) if (fmix32(i) < below) keep[count++] = i;
  return keep.slice(0, count);
}

/** The scores of `rows` (ascending) among those of `within` (ascending, holding every one of `rows`). */
function scoresAt(rows: Int32Array, within: Int32Array, scores: Float64Array): Float64Array {
  const out = new Float64Array(rows.length);
  let j = 0;
  for (let k = 0; k < rows.length; k++) {
    while (j < within.length && within[j]! < rows[k]!) j++;
    if (within[j] !== rows[k]) throw new Error(`row ${rows[k]} is not among the scored rows`);
    out[k] = scores[j]!;
  }
  return out;
}

export function fitContextualUntilForest(
  input: ContextualInput,
  names: ContextualNames,
  overrides: Partial<ContextualSettings> = {},
  hooks: FitHooks = {},
  prefitted: Prefitted | null = null,
  typing: DayTyping | null = null,
): ForestStep {
  const settings = contextualSettings(overrides);
  const n = input.time.length;
  if (n < 2) throw new Error(`the contextual detector needs at least 2 readings, got ${n}`);
  if (input.meters.length === 0) throw new Error('the contextual detector needs at least one meter column');
  const givenFrame = prefitted?.frame ?? null;
  if (givenFrame && givenFrame.rows !== n) throw new Error(`the prefitted frame does not cover the input's ${n} rows`);
  // What the fit computes from its input alone: the caller's (a fit on two threads computes it before its buildings), else here.
  const frame = givenFrame ?? fitFrame(input, settings, false);
  const { how, series } = frame;
  const idOf = (code: number): string => (code >= 0 && input.groups ? input.groups.dictionary[code]! : '');
  const total = series.length + 2;
  // 1. Own baselines where there is history enough (or as fitted apart by the caller).
  const given = prefitted?.buildings;
  if (given && (given.length !== series.length || given.some((bm, b) => bm.id !== idOf(series[b]!.code)))) {
    throw new Error(`prefitted building models do not match the input's ${series.length} buildings`);
  }
  const passed = prefitted?.pass ?? null;
  if (passed && passed.slot.length !== n) throw new Error(`the prefitted residual pass does not cover the input's ${n} rows`);
  const places = passed ? (prefitted?.places ?? null) : null;
  if (places && places.length !== n) throw new Error(`the prefitted pass's places do not cover the input's ${n} rows`);
  const buildings = given ?? fitBuildingModels(input, settings, { progress: (done) => hooks.progress?.(done, total) }, typing);
  // What each building's baseline has seen of the weather, so scoring knows where it extrapolates (unseen.ts);
  // fitBuildingPass (whose pass is `passed`) measured it already.
  if (!passed)
    for (const [b, s] of series.entries()) {
      const support = temperatureSupport(input.temperature, s.rows);
      if (support) buildings[b]!.support = support;
    }
  // 2. The fleet baseline.
  const byCode = new Map(series.map((s, b) => [s.code, buildings[b]!]));
  const fleet =
    prefitted?.fleet ??
    fitFleet(
      input,
      settings,
      buildings.map((bm) => ({ own: bm.meters !== null, levels: bm.levels })),
    );
  for (const [b, s] of series.entries()) if (!buildings[b]!.meters) buildings[b]!.levels = fleetLevels(fleet, input, how, s.rows);
  hooks.progress?.(series.length + 1, total);

  // 3. Residual pass on the training rows (made already for buildings with their own baseline when `passed`),
  // then the spreads of the sustained mean and of jumps.
  const resolveTrained = (s: BuildingSeries): Resolved => {
    const bm = byCode.get(s.code)!;
    return bm.meters
      ? { meters: bm.meters, scale: bm.meters.map(() => 1), fleet: false }
      : { meters: fleet, scale: bm.levels.map((l) => (l > 0 ? l : 1)), fleet: true };
  };
  if (places && buildings.some((bm) => !bm.meters))
    throw new Error('a pass laid out elsewhere needs every building to have its own baseline');
  const pass = contextPass(input, settings, resolveTrained, passed, (b) => passed !== null && buildings[b]!.meters !== null, {
    how,
    series,
  });
  const fleetSus: number[][] = input.meters.map(() => []);
  const fleetJump: number[][] = input.meters.map(() => []);
  for (const [b, s] of pass.series.entries()) {
    const bm = buildings[b]!;
    if (!bm.meters) continue;
    if (!passed) {
      setOwnSpreads(pass, s.rows, bm.meters);
      const blocks = blockSupports(input.temperature, s.rows, pass.slot, bm.meters);
      if (blocks) bm.blockSupport = blocks;
    }
    for (let m = 0; m < input.meters.length; m++) {
      fleetSus[m]!.push(bm.meters[m]!.sustainedSpread);
      fleetJump[m]!.push(bm.meters[m]!.jumpSpread);
    }
  }
  fleet.forEach((f, m) => {
    const sus = medianOf(Float64Array.from(fleetSus[m]!));
    const jmp = medianOf(Float64Array.from(fleetJump[m]!));
    f.sustainedSpread = sus > 0 ? sus : 1;
    f.jumpSpread = jmp > 0 ? jmp : 1;
  });

  // 4. Which stuck-rule candidates rarely repeat on their own (the frame's watchedStuckColumns). The runs of those
  // kept are the training rows' rule hits (finish): kept, not marked a second time.
  const { keep, keptRuns } = frame;

  // 5. The forest on context features (forestColumns: the clipped residuals, then the frame's context columns),
  // standardised by its own training scores (calibrationRows of them).
  const fcols = [...residualColumns(pass.z), ...frame.context];
  const forest = fitIsolationForest(fcols, forestFeatureNames(names.meters), {
    nTrees: settings.trees,
    maxSamples: settings.sampleSize,
    contamination: 'auto',
    seed: settings.seed,
  });
  const calibration = frame.calibration;
  const finishModel = (fscores: Float64Array): ContextualModel => {
    const rows = calibration ? calibration.length : n;
    if (fscores.length !== rows) throw new Error(`${fscores.length} forest scores for ${rows} calibration rows`);
    const forestCenter = medianOf(fscores);
    const fs = robustSigma(fscores);
    const forestScale = fs > 0 ? fs : 1;
    hooks.progress?.(total, total);
    return {
      kind: 'contextual',
      meters: [...names.meters],
      stuckColumns: keep.map((c) => names.stuckCandidates[c]!),
      temperature: names.temperature,
      settings,
      buildings,
      fleet,
      forest,
      forestCenter,
      forestScale,
      trainedRows: n,
    };
  };
  const modelStuck = (): { hit: Uint8Array; column: Int16Array } =>
    frame.training?.stuck ?? modelStuckHits(input, keep, keptRuns, pass.series, settings.stuckHours);
  const warnings = (): string[] =>
    buildings
      .filter((b) => !b.meters)
      .map(
        (b) =>
          `${b.id || 'rows without an id'}: ${b.rows} readings, less than ${settings.minHistoryHours} h of history: uses the fleet baseline.`,
      );
  const finish = (fscores: Float64Array): FitResult => {
    if (fscores.length !== n) throw new Error(`${fscores.length} forest scores for ${n} training rows`);
    const model = finishModel(calibration ? pick(fscores, calibration) : fscores);
    const rowPass = places ? { ...pass, ...passInRows(pass, places) } : pass;
    const training = combine(input, rowPass, settings, modelStuck(), fscores, model.forestCenter, model.forestScale);
    return { model, training: { ...training, warnings: warnings() } };
  };
  const sample = frame.training ? frame.training.sample : trainingScoreRows(n);
  const finishSample = (fscores: Float64Array): FitResult => {
    if (!sample) return finish(fscores);
    if (fscores.length !== sample.length) throw new Error(`${fscores.length} forest scores for ${sample.length} sampled training rows`);
    const model = finishModel(calibration ? scoresAt(calibration, sample, fscores) : fscores);
    const at = passAt(input, pass, modelStuck(), sample, places);
    const training = combine(at.input, at.pass, settings, at.stuck, fscores, model.forestCenter, model.forestScale);
    return { model, training: { ...training, warnings: warnings() } };
  };
  return { buildings, forest, columns: fcols, calibration, finish, finishModel, sample, finishSample };
}

/** Scores readings; `input.stuckColumns` must follow `model.stuckColumns`. */
export function scoreContextual(model: ContextualModel, input: ContextualInput): ContextualScores {
  const { scores, unseen } = scoreContextualPart(model, input);
  return { ...scores, warnings: unseenWarnings(unseen) };
}

/** The warning for buildings scored with the fleet baseline because training never saw them (none when the list is empty). */
export function unseenWarnings(unseen: readonly string[]): string[] {
  if (!unseen.length) return [];
  const listed = unseen.slice(0, 5).join(', ') + (unseen.length > 5 ? ', …' : '');
  return [
    `${unseen.length} building${unseen.length === 1 ? '' : 's'} not seen in training (${listed}): scored with the fleet baseline scaled by their own median, so their scores are less reliable.`,
  ];
}

/**
 * scoreContextual without the warnings, plus the buildings not seen in
 * training. Every building is scored from its own rows alone, so disjoint
 * sets of buildings can be scored apart (the backend does, on two threads)
 * and their results put together.
 */
export function scoreContextualPart(
  model: ContextualModel,
  input: ContextualInput,
): { scores: Omit<ContextualScores, 'warnings'>; unseen: string[] } {
  const byId = new Map(model.buildings.map((b) => [b.id, b]));
  const how = hoursOfWeek(input.time);
  const unseen: string[] = [];
  const fleetRange = fleetSupport(model.buildings);
  const series = buildingSeries(input.time, input.groups?.codes ?? null);
  const yearly = yearlyTerms(input.time, series);
  const pass = contextPass(
    input,
    model.settings,
    (s) => {
      const id = s.code >= 0 && input.groups ? input.groups.dictionary[s.code]! : '';
      const bm = byId.get(id);
      if (bm?.meters) {
        const scale = bm.meters.map(() => 1);
        return {
          meters: bm.meters,
          scale,
          fleet: false,
          extrapolation: extrapolationOf(bm.support, bm.meters, scale, model.fleet, bm.levels, bm.blockSupport ?? null),
          loadScaled: true,
          yearly,
        };
      }
      // Unseen (or short-history) building: the fleet baseline at its own level.
      let levels = bm?.levels;
      if (!bm) {
        unseen.push(id || '(no id)');
        levels = fleetLevels(model.fleet, input, how, s.rows);
      }
      const scale = levels!.map((l) => (l > 0 ? l : 1));
      const extrapolation = extrapolationOf(fleetRange, model.fleet, scale, model.fleet, scale);
      return { meters: model.fleet, scale, fleet: true, extrapolation, loadScaled: true, yearly };
    },
    null,
    undefined,
    { how, series },
  );
  const stuck = stuckHits(
    input,
    model.stuckColumns.map((_, c) => c),
    pass,
    model.settings.stuckHours,
  );
  const tempFill = model.buildings.find((b) => b.meters)?.meters![0]!.towt.fillTemp ?? model.fleet[0]?.towt.fillTemp ?? 0;
  const fscores = forestScores(model.forest, input, pass.z, pass.how, tempFill);
  return { scores: combine(input, pass, model.settings, stuck, fscores, model.forestCenter, model.forestScale), unseen };
}

export { RULES };
