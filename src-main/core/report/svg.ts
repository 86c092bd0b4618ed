import { DAY_MS, HOUR_MS, WEEK_MS } from '../../contract/shared/time';

/**
 * Charts as SVG strings for the report (ARCHITECTURE §6b): no DOM, no fonts to
 * load, no script, so one HTML file carries them and a printer draws them as
 * vectors (inline SVG in HTML needs no namespace, so the file names no URL). Colours come from the Okabe–Ito palette (colour-blind safe); every
 * series is also named in the legend, so colour is never the only cue.
 */

export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9'] as const;

export interface LineSeries {
  name: string;
  /** [x, y] pairs; non-finite y breaks the line. */
  points: ReadonlyArray<readonly [number, number]>;
}

export interface LineChartSpec {
  title: string;
  series: readonly LineSeries[];
  /** x values are epoch ms (ticks as UTC dates). */
  xTime: boolean;
  yLabel: string;
  /** A horizontal reference line (a threshold), labelled. */
  threshold?: { y: number; label: string };
  width?: number;
  height?: number;
}

export interface BarSpec {
  title: string;
  bars: ReadonlyArray<{ label: string; value: number }>;
  /** How a value is printed at the end of its bar. */
  format: (v: number) => string;
  width?: number;
}

export interface HistogramPairSpec {
  title: string;
  edges: readonly number[];
  reference: readonly number[];
  current: readonly number[];
  width?: number;
  height?: number;
}

/** The bottom margin holds the x tick labels and, below them, the legend. */
const MARGIN = { left: 56, right: 16, top: 28, bottom: 46 };
/** Points per series drawn: a page is ~800 px wide, more points only grow the file. */
export const MAX_CHART_POINTS = 800;

/** Text for SVG or HTML: the five characters XML treats specially. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Round coordinates to 0.1 px: the file stays small and nothing visible changes. */
function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** 1, 2 or 5 × 10^k steps giving about `count` ticks over [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  // k · step, rounded to 12 digits: 3 · 0.1 is 0.30000000000000004 otherwise (and + 0 turns −0 into 0).
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)) + 0);
  return ticks;
}

function fmtTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e3) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}

function fmtDate(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 3 * DAY_MS ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/**
 * Keeps at most `max` points: each of `max / 2` buckets keeps its minimum and
 * maximum, so spikes (what an anomaly chart is for) survive the thinning.
 */
export function thinPoints(points: ReadonlyArray<readonly [number, number]>, max = MAX_CHART_POINTS): Array<readonly [number, number]> {
  if (points.length <= max) return [...points];
  const buckets = Math.max(1, Math.floor(max / 2));
  const size = points.length / buckets;
  const out: Array<readonly [number, number]> = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(points.length, Math.floor((b + 1) * size));
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const y = points[i]![1];
      if (!Number.isFinite(y)) continue;
      if (lo < 0 || y < points[lo]![1]) lo = i;
      if (hi < 0 || y > points[hi]![1]) hi = i;
    }
    if (lo < 0) continue;
    for (const i of lo <= hi ? [lo, hi] : [hi, lo]) if (out.at(-1) !== points[i]) out.push(points[i]!);
  }
  return out;
}

function extent(values: Iterable<number>): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi >= lo ? [lo, hi] : null;
}

function frame(title: string, width: number, height: number, body: string[]): string {
  return [
    `<svg class="chart" role="img" aria-label="${escapeXml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${MARGIN.left}" y="16" class="chart-title">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
  ].join('');
}

function emptyChart(title: string, width: number, height: number, why: string): string {
  return frame(title, width, height, [
    `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="muted">${escapeXml(why)}</text>`,
  ]);
}

/** A line chart with axes, ticks, a legend and an optional threshold line. */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 760;
  const height = spec.height ?? 220;
  const series = spec.series.map((s) => ({ ...s, points: thinPoints(s.points) }));
  const xs = extent(series.flatMap((s) => s.points.map((p) => p[0])));
  const yValues = series.flatMap((s) => s.points.map((p) => p[1]));
  if (spec.threshold) yValues.push(spec.threshold.y);
  const ys = extent(yValues);
  if (!xs || !ys) return emptyChart(spec.title, width, height, 'No data in this period.');
  const [x0, x1] = xs[0] === xs[1] ? [xs[0] - 1, xs[1] + 1] : xs;
  const yLo = Math.min(0, ys[0]);
  const yHi = ys[1] === yLo ? yLo + 1 : ys[1];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number): number => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number): number => MARGIN.top + plotH - ((y - yLo) / (yHi - yLo)) * plotH;
  const body: string[] = [];
  for (const t of niceTicks(yLo, yHi, 4)) {
    body.push(
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${px(sy(t))}" y2="${px(sy(t))}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${px(sy(t) + 4)}" text-anchor="end" class="tick">${fmtTick(t)}</text>`,
    );
  }
  const xTicks = spec.xTime ? timeTicks(x0, x1) : niceTicks(x0, x1, 6);
  for (const t of xTicks) {
    const label = spec.xTime ? fmtDate(t, x1 - x0) : fmtTick(t);
    body.push(`<text x="${px(sx(t))}" y="${height - MARGIN.bottom + 16}" text-anchor="middle" class="tick">${escapeXml(label)}</text>`);
  }
  body.push(
    `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${px(sy(yLo))}" y2="${px(sy(yLo))}" class="axis"/>`,
    `<text x="12" y="${px(MARGIN.top + plotH / 2)}" transform="rotate(-90 12 ${px(MARGIN.top + plotH / 2)})" text-anchor="middle" class="tick">${escapeXml(spec.yLabel)}</text>`,
  );
  if (spec.threshold) {
    const y = px(sy(spec.threshold.y));
    body.push(
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}" class="threshold"/>`,
      `<text x="${width - MARGIN.right}" y="${px(sy(spec.threshold.y) - 4)}" text-anchor="end" class="tick">${escapeXml(spec.threshold.label)}</text>`,
    );
  }
  series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (!Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(sx(x))} ${px(sy(y))}`;
      pen = true;
    }
    if (s.points.length === 1) {
      const [x, y] = s.points[0]!;
      body.push(`<circle cx="${px(sx(x))}" cy="${px(sy(y))}" r="3" fill="${colour}"/>`);
    }
    body.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    const lx = MARGIN.left + k * 150;
    body.push(
      `<line x1="${lx}" x2="${lx + 16}" y1="${height - 8}" y2="${height - 8}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${lx + 20}" y="${height - 4}" class="tick">${escapeXml(s.name)}</text>`,
    );
  });
  return frame(spec.title, width, height, body);
}

/** Ticks at whole UTC days (or hours for short spans), about six of them. */
function timeTicks(x0: number, x1: number): number[] {
  const span = x1 - x0;
  const steps = [HOUR_MS, 6 * HOUR_MS, DAY_MS, WEEK_MS, 30 * DAY_MS, 91 * DAY_MS, 365 * DAY_MS];
  const step = steps.find((s) => span / s <= 7) ?? span / 6;
  const ticks: number[] = [];
  for (let t = Math.ceil(x0 / step) * step; t <= x1; t += step) ticks.push(t);
  return ticks;
}

/** Horizontal bars, largest first as given, value printed at the bar's end. */
export function barChart(spec: BarSpec): string {
  const width = spec.width ?? 760;
  const rowH = 18;
  const height = MARGIN.top + spec.bars.length * rowH + 10;
  if (spec.bars.length === 0) return emptyChart(spec.title, width, 80, 'Nothing to show.');
  const labelW = 140;
  const max = Math.max(...spec.bars.map((b) => b.value), 0) || 1;
  const plotW = width - labelW - 80;
  const body = spec.bars.map((b, i) => {
    const y = MARGIN.top + i * rowH;
    const w = Math.max(0, (b.value / max) * plotW);
    return (
      `<text x="${labelW - 6}" y="${y + 13}" text-anchor="end" class="tick">${escapeXml(b.label)}</text>` +
      `<rect x="${labelW}" y="${y + 3}" width="${px(w)}" height="${rowH - 6}" fill="${PALETTE[0]}"/>` +
      `<text x="${px(labelW + w + 4)}" y="${y + 13}" class="tick">${escapeXml(spec.format(b.value))}</text>`
    );
  });
  return frame(spec.title, width, height, body);
}

/** Reference and current proportions on the same bins, side by side per bin. */
export function histogramPair(spec: HistogramPairSpec): string {
  const width = spec.width ?? 310;
  const height = spec.height ?? 170;
  const n = Math.min(spec.reference.length, spec.current.length);
  if (n === 0) return emptyChart(spec.title, width, height, 'No histogram.');
  const max = Math.max(...spec.reference.slice(0, n), ...spec.current.slice(0, n)) || 1;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const slot = plotW / n;
  const body: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = MARGIN.left + i * slot;
    const hr = (spec.reference[i]! / max) * plotH;
    const hc = (spec.current[i]! / max) * plotH;
    body.push(
      `<rect x="${px(x + 1)}" y="${px(MARGIN.top + plotH - hr)}" width="${px(slot / 2 - 1)}" height="${px(hr)}" fill="${PALETTE[0]}"/>`,
      `<rect x="${px(x + slot / 2)}" y="${px(MARGIN.top + plotH - hc)}" width="${px(slot / 2 - 1)}" height="${px(hc)}" fill="${PALETTE[1]}"/>`,
    );
  }
  const inner = spec.edges.filter((e) => Number.isFinite(e));
  const first = inner[0];
  const last = inner.at(-1);
  if (first !== undefined && last !== undefined) {
    body.push(
      `<text x="${MARGIN.left}" y="${height - MARGIN.bottom + 14}" class="tick">≤ ${fmtTick(first)}</text>`,
      `<text x="${width - MARGIN.right}" y="${height - MARGIN.bottom + 14}" text-anchor="end" class="tick">&gt; ${fmtTick(last)}</text>`,
    );
  }
  body.push(
    `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" class="axis"/>`,
    `<rect x="${MARGIN.left}" y="${height - 14}" width="10" height="10" fill="${PALETTE[0]}"/><text x="${MARGIN.left + 14}" y="${height - 5}" class="tick">reference</text>`,
    `<rect x="${MARGIN.left + 80}" y="${height - 14}" width="10" height="10" fill="${PALETTE[1]}"/><text x="${MARGIN.left + 94}" y="${height - 5}" class="tick">current</text>`,
  );
  return frame(spec.title, width, height, body);
}
