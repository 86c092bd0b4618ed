/**
 * Year-2 detection of the version a default `greenlens train` registers (issue 11), the refit's day typing
 * two ways (not a test). Prints one JSON object.
 *   npx tsx bench/refit-typing.bench.ts [--quick]
 *
 * A labelled training holds out the last 20 % of the span, evaluates a fit on the rest, then refits on all
 * readings. The refit finds each building's closed days either with a first fit of its own (`ownFirstFit`)
 * or with the evaluated fit's models (`holdoutFitTyping`, DayTyping), which saves that first fit. For 3 seeds,
 * 8 buildings and fault shares of 1 % and 3 % (as bench/detection.bench.ts): refit on year 1, score year 2
 * at the default threshold; the refits' building-fit time on one thread beside.
 */
import {
  fitBuildingModels,
  contextualSettings,
  dayTypingOf,
  fitContextual,
  scoreContextual,
} from '../src-main/core/model/contextual/detector';
import { finiteAtShare } from '../src-main/core/model/contextual/robust';
import type { ContextualInput } from '../src-main/core/model/contextual/types';
import type { Table } from '../src-main/core/data/table';
import { cat, figures, num, twoYears, type Figures } from './detection-eval';

const quick = process.argv.includes('--quick');
const FEATURES = ['outdoor_temp_c', 'humidity_pct', 'occupancy', 'hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'];
const METERS = ['hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'];
const NAMES = { meters: METERS, stuckCandidates: FEATURES, temperature: 'outdoor_temp_c' };
const SEEDS = quick ? [1] : [1, 2, 3];

function input(t: Table, stuck: readonly string[], keep: ((i: number) => boolean) | null = null): ContextualInput {
  const rows = Int32Array.from({ length: t.rowCount }, (_, i) => i).filter((i) => !keep || keep(i));
  const pick = <T extends Float64Array | Int32Array>(a: T): T => {
    const out = new (a.constructor as { new (n: number): T })(rows.length);
    rows.forEach((i, k) => (out[k] = a[i]!));
    return out;
  };
  const groups = cat(t, 'building_id');
  return {
    time: pick(num(t, 'timestamp')),
    groups: { codes: pick(groups.codes), dictionary: groups.dictionary },
    temperature: pick(num(t, 'outdoor_temp_c')),
    meters: METERS.map((m) => pick(num(t, m))),
    stuckColumns: stuck.map((m) => pick(num(t, m))),
  };
}

const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);
function summary(list: Figures[]) {
  const avg = (f: (x: Figures) => number | null): number | null => round(list.reduce((s, x) => s + (f(x) ?? NaN), 0) / list.length);
  const types = [...new Set(list.flatMap((x) => Object.keys(x.recallByType)))];
  const byType = types.map((t) => {
    const v = list.map((x) => x.recallByType[t]).filter((r): r is number => r !== undefined);
    return [t, v.reduce((s, r) => s + r, 0) / v.length] as const;
  });
  const lowest = byType.reduce((a, b) => (b[1] < a[1] ? b : a));
  return {
    rocAuc: avg((x) => x.rocAuc),
    f1: avg((x) => x.f1),
    precision: avg((x) => x.precision),
    recall: avg((x) => x.recall),
    lowestTypeRecall: { type: lowest[0], recall: round(lowest[1]) },
  };
}

const out: Record<string, unknown>[] = [];
const settings = contextualSettings();
for (const rate of [0.01, 0.03]) {
  const own: Figures[] = [];
  const typed: Figures[] = [];
  let ownMs = 0;
  let typedMs = 0;
  for (const seed of SEEDS) {
    const { year1, year2 } = twoYears(seed, 8, rate);
    const time = num(year1, 'timestamp');
    const cutoff = finiteAtShare(time, 0.8);
    const first = fitContextual(
      input(year1, FEATURES, (i) => time[i]! < cutoff),
      NAMES,
    );
    const typing = dayTypingOf(first.model.buildings);
    const all = input(year1, FEATURES);
    let t0 = performance.now();
    fitBuildingModels(all, settings);
    ownMs += performance.now() - t0;
    t0 = performance.now();
    fitBuildingModels(all, settings, {}, typing);
    typedMs += performance.now() - t0;
    for (const [list, fit] of [
      [own, fitContextual(all, NAMES)],
      [typed, fitContextual(all, NAMES, {}, {}, null, typing)],
    ] as const) {
      const s = scoreContextual(fit.model, input(year2, fit.model.stuckColumns));
      list.push(figures(year2, s.scores, 0.5));
    }
  }
  out.push({
    anomalyRate: rate,
    ownFirstFit: { ...summary(own), buildingFitMs: Math.round(ownMs / SEEDS.length) },
    holdoutFitTyping: { ...summary(typed), buildingFitMs: Math.round(typedMs / SEEDS.length) },
  });
}
console.log(JSON.stringify({ bench: 'refit day typing, year-2 detection', seeds: SEEDS, buildings: 8, byRate: out }));
