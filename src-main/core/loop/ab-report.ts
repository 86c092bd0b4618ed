import { ARMS, type AbArmReport, type AbReport, type AbRun, type Arm } from '../../contract/shared/ab';
import { createRng } from '../data/rng';
import type { PredictionColumns } from '../monitoring';
import { abVerdict, MIN_EXPECTED } from './ab';
import { jaccard, percentileInterval, weightedCounts } from './bootstrap';
import { DAY_MS, HOUR_MS, WEEK_MS } from '../../contract/shared/time';

/**
 * The A/B report (issue 12 item 4) from the logged predictions of a run:
 * per arm the readings, anomaly rate and, where labels exist, F1 with a
 * seeded bootstrap interval; the two-proportion test of the arms' anomaly
 * rates (A/B) or the shadow's agreement with the champion on the same
 * readings (shadow); and the anomaly rate per arm over data time.
 */

export interface AbReportOptions {
  resamples?: number;
  seed?: number;
  /** Labels to use where the log has none (feedback verdicts): −1 none, 0 normal, 1 anomaly; one per row. */
  extraLabels?: Int8Array;
}

const BUCKETS = [HOUR_MS, 6 * HOUR_MS, DAY_MS, WEEK_MS, 30 * DAY_MS];
const MAX_POINTS = 60;

export function abReport(run: AbRun, rows: PredictionColumns, opts: AbReportOptions = {}): AbReport {
  const resamples = opts.resamples ?? 200;
  const seed = opts.seed ?? 42;
  const labelOf = (i: number): number => {
    const l = rows.label[i]!;
    return l >= 0 ? l : (opts.extraLabels?.[i] ?? -1);
  };
  const arms: AbArmReport[] = ARMS.map((arm, a) => {
    const idx: number[] = [];
    for (let i = 0; i < rows.length; i++) if (rows.arm[i] === a) idx.push(i);
    const versions = new Set<string>();
    let flagged = 0;
    const lf: number[] = [];
    const ll: number[] = [];
    for (const i of idx) {
      flagged += rows.flag[i] ? 1 : 0;
      versions.add(rows.versions[rows.versionIndex[i]!]!.version);
      const l = labelOf(i);
      if (l >= 0) {
        lf.push(rows.flag[i] ? 1 : 0);
        ll.push(l);
      }
    }
    return {
      arm,
      versions: [...versions],
      readings: idx.length,
      flagged,
      anomalyRate: idx.length ? flagged / idx.length : 0,
      labelled: ll.length,
      f1: f1WithInterval(Uint8Array.from(lf), Uint8Array.from(ll), resamples, seed),
    };
  });
  const by = (arm: Arm): AbArmReport => arms[ARMS.indexOf(arm)]!;
  const champion = { n: by('champion').readings, flagged: by('champion').flagged };
  const shadow = run.mode === 'shadow' ? shadowAgreement(rows) : null;
  const verdict =
    run.mode === 'ab'
      ? abVerdict({ champion, challenger: { n: by('challenger').readings, flagged: by('challenger').flagged } })
      : shadowVerdict(champion, { n: by('shadow').readings, flagged: by('shadow').flagged }, shadow!);
  const { fromMs, toMs, series } = rateSeries(rows);
  return { run, arms, verdict, shadow, series, fromMs, toMs };
}

/** F1 of flags against labels with a 95 % percentile bootstrap interval (seeded); null without both classes. */
export function f1WithInterval(
  flags: Uint8Array,
  labels: Uint8Array,
  resamples: number,
  seed: number,
): { value: number; low: number; high: number } | null {
  const n = labels.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i]!;
  if (pos === 0 || pos === n) return null;
  const value = weightedCounts(flags, labels, new Float64Array(n).fill(1)).f1;
  const rng = createRng(seed);
  const w = new Float64Array(n);
  const draws: number[] = [];
  for (let r = 0; r < resamples; r++) {
    w.fill(0);
    for (let i = 0; i < n; i++) w[rng.int(n)]!++;
    draws.push(weightedCounts(flags, labels, w).f1);
  }
  const ci = percentileInterval(draws) ?? { low: value, high: value };
  return { value, low: ci.low, high: ci.high };
}

/**
 * Pairs each shadow reading with the champion's reading of the same request at
 * the same position (a shadow is logged with its request's id, row for row),
 * then compares their flags (Jaccard) and scores (mean shadow − champion).
 */
export function shadowAgreement(rows: PredictionColumns): NonNullable<AbReport['shadow']> {
  const champ = new Map<number, number[]>();
  const shad = new Map<number, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const a = rows.arm[i];
    const m = a === 0 ? champ : a === 2 ? shad : null;
    if (!m) continue;
    const id = rows.requestId[i]!;
    let list = m.get(id);
    if (!list) m.set(id, (list = []));
    list.push(i);
  }
  const fa: number[] = [];
  const fb: number[] = [];
  let shift = 0;
  for (const [id, s] of shad) {
    const c = champ.get(id);
    if (!c || c.length !== s.length) continue;
    for (let k = 0; k < s.length; k++) {
      fa.push(rows.flag[c[k]!] ? 1 : 0);
      fb.push(rows.flag[s[k]!] ? 1 : 0);
      shift += rows.score[s[k]!]! - rows.score[c[k]!]!;
    }
  }
  let changed = 0;
  for (let i = 0; i < fa.length; i++) if (fa[i] !== fb[i]) changed++;
  const matched = fa.length;
  return {
    matched,
    jaccard: matched ? jaccard(Uint8Array.from(fa), Uint8Array.from(fb)) : null,
    meanScoreShift: matched ? shift / matched : null,
    flagsChanged: changed,
  };
}

function shadowVerdict(
  champion: { n: number; flagged: number },
  shadow: { n: number; flagged: number },
  agreement: NonNullable<AbReport['shadow']>,
): AbReport['verdict'] {
  const small = [champion, shadow].some((s) => s.flagged < MIN_EXPECTED || s.n - s.flagged < MIN_EXPECTED);
  if (small || agreement.matched === 0) {
    return {
      decided: false,
      test: null,
      message: `Sample too small to decide: the champion and the shadow need at least ${MIN_EXPECTED} flagged and ${MIN_EXPECTED} unflagged readings each.`,
    };
  }
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  return {
    decided: true,
    test: null,
    message:
      `Shadow decided nothing: on ${agreement.matched.toLocaleString('en-US')} shared readings it flags ${pct(shadow.flagged / shadow.n)} ` +
      `against the champion's ${pct(champion.flagged / champion.n)}; flag agreement (Jaccard) ${agreement.jaccard!.toFixed(3)}, ` +
      `${agreement.flagsChanged.toLocaleString('en-US')} readings would change.`,
  };
}

/** Anomaly rate per arm per data-time bucket; the bucket is the smallest of 1 h, 6 h, 1 d, 7 d, 30 d giving at most 60 points. */
function rateSeries(rows: PredictionColumns): { fromMs: number | null; toMs: number | null; series: AbReport['series'] } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const t = rows.time[i]!;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  if (!Number.isFinite(lo)) return { fromMs: null, toMs: null, series: { bucketMs: HOUR_MS, points: [] } };
  const bucketMs = BUCKETS.find((b) => Math.floor(hi / b) - Math.floor(lo / b) < MAX_POINTS) ?? BUCKETS[BUCKETS.length - 1]!;
  const first = Math.floor(lo / bucketMs);
  const count = Math.floor(hi / bucketMs) - first + 1;
  const n = ARMS.map(() => new Float64Array(count));
  const f = ARMS.map(() => new Float64Array(count));
  for (let i = 0; i < rows.length; i++) {
    const b = Math.floor(rows.time[i]! / bucketMs) - first;
    const a = rows.arm[i]!;
    if (a >= ARMS.length) continue;
    n[a]![b]!++;
    if (rows.flag[i]) f[a]![b]!++;
  }
  const rate = (a: number, b: number): number | null => (n[a]![b]! > 0 ? f[a]![b]! / n[a]![b]! : null);
  const points: AbReport['series']['points'] = [];
  for (let b = 0; b < count; b++) {
    if (n.every((x) => x[b] === 0)) continue;
    points.push({ time: (first + b) * bucketMs, champion: rate(0, b), challenger: rate(1, b), shadow: rate(2, b) });
  }
  return { fromMs: lo, toMs: hi, series: { bucketMs, points } };
}
