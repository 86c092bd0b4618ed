/**
 * Chart wording that depends on the data: tick labels with as many decimals
 * as the axis range needs (PSI 0.002 is not "0.00"), and units read from
 * column names (a temperature axis does not say kW).
 */

/** The step between ~`ticks` round ticks over [lo, hi] (1, 2 or 5 × 10^k). */
export function niceStep(lo: number, hi: number, ticks = 5): number {
  const span = Math.abs(hi - lo);
  if (!Number.isFinite(span) || span === 0) return Math.abs(hi) > 0 ? 10 ** Math.floor(Math.log10(Math.abs(hi))) : 1;
  const raw = span / Math.max(1, ticks - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = (raw / mag) * (1 - 1e-9); // 5.000000001 is 5, not 10
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** Round ticks covering [lo, hi] at niceStep, for an axis whose labels must match its formatter. */
export function niceTicks(lo: number, hi: number, ticks = 5): number[] {
  const step = niceStep(lo, hi, ticks);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const out: number[] = [];
  // Rounded through the step's own decimals, so 0.30000000000000004 is 0.3.
  const decimals = Math.min(12, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
  for (let i = first; i <= Math.max(last, first + 1); i++) out.push(Number((i * step).toFixed(decimals)));
  return out;
}

/**
 * A tick formatter for values spanning [lo, hi]: decimals follow the tick
 * step, thousands are separated (en-US, like every number in the UI).
 */
export function rangeTickFormat(lo: number, hi: number, ticks = 5): (v: number) => string {
  const step = niceStep(lo, hi, ticks);
  const decimals = Math.min(6, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
  return (v: number) => {
    if (!Number.isFinite(v)) return '';
    const text = v.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    return text === '-0' || /^-0\.0*$/.test(text) ? text.slice(1) : text;
  };
}

/** The range of every finite value given, with 0 included when asked (bar charts start at 0). */
export function extent(values: Iterable<number>, withZero = false): [number, number] {
  let lo = withZero ? 0 : Infinity;
  let hi = withZero ? 0 : -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

const UNIT_SUFFIXES: [RegExp, string][] = [
  [/(^|_)kwh$/i, 'kWh'],
  [/(^|_)kw$/i, 'kW'],
  [/(^|_)mwh$/i, 'MWh'],
  [/(^|_)w$/i, 'W'],
  [/(^|_)(c|degc|celsius)$/i, '°C'],
  [/(^|_)(f|degf|fahrenheit)$/i, '°F'],
  [/(^|_)(pct|percent)$/i, '%'],
  [/(^|_)ppm$/i, 'ppm'],
  [/(^|_)(m3|m³)$/i, 'm³'],
  [/(^|_)ms$/i, 'ms'],
];

/** The unit a column name carries by convention (`outdoor_temp_c` → °C, `hvac_kw` → kW), or null. */
export function unitOf(column: string): string | null {
  for (const [pattern, unit] of UNIT_SUFFIXES) if (pattern.test(column)) return unit;
  return null;
}

/** A y-axis label for a column: its unit, else its name. */
export function axisLabel(column: string): string {
  return unitOf(column) ?? column;
}

/** A value with the column's unit when it has one: `4.2 °C`, `12.5 kW`, `3.1`. */
export function withUnit(text: string, column: string): string {
  const unit = unitOf(column);
  return unit ? (unit === '%' ? `${text}%` : `${text} ${unit}`) : text;
}
