/**
 * Residual spreads that grow with the weather-driven load (ARCHITECTURE §5).
 * A slot's spread is measured over its training readings, most of them at
 * the temperatures typical of the training span; but a meter's noise is
 * relative to its load (thermostat cycling, the building's thermal mass
 * answering yesterday's weather: both scale with what the plant is doing,
 * which is why ASHRAE Guideline 14 judges baselines by CV(RMSE)). A baseline
 * trained from spring to autumn measured its night spreads on a plant that was
 * idle; the first cold nights, with the heating running at five times that
 * load, then flag ordinary readings by the hundred.
 *
 * So a reading's spread is its slot's spread times how far the temperature
 * raises the expected load above what the slot expects at the training's
 * typical temperature (the fill temperature, the training median): never
 * less than the slot's own spread, the same whenever the temperature terms
 * do not raise the load. A fault that multiplies the load (a doubled HVAC
 * draw) stands out as far in a cold week as in a mild one.
 */
import { addTemperatureTerms, blockWidth, type TowtDesign, type TowtModel } from './towt';

/** The temperature terms' part of a slot's expected load at temperature t (0 without temperature terms). */
export function temperaturePart(towt: TowtModel, slot: number, t: number): number {
  const k = towt.knots.length;
  if (k === 0) return 0;
  const off = towt.occupied[slot] ? 0 : blockWidth(towt);
  return addTemperatureTerms(towt, off, Number.isFinite(t) ? t : towt.fillTemp, 0);
}

/**
 * How many times its typical load the reading's expected load is: expected ÷
 * (expected with the temperature at the training median), at least 1.
 * `scale` is the baseline's multiplier (1 for a building's own, its level for the fleet's).
 * `load` (default `expected`) is the load the spread is taken at: beyond the
 * training temperatures, the top of the interval of loads the model cannot
 * tell apart (unseen.ts), since a meter's noise grows with its load and that
 * load is what the reading may plausibly be drawing.
 */
export function loadRatio(towt: TowtModel, scale: number, slot: number, t: number, expected: number, load = expected): number {
  if (towt.knots.length === 0 || !Number.isFinite(t)) return 1;
  const typical = expected - scale * (temperaturePart(towt, slot, t) - temperaturePart(towt, slot, towt.fillTemp));
  return typical > 0 && load > typical ? load / typical : 1;
}

/**
 * loadRatio(towt, scale, slot[i], temp[i], expected[i]) into out[k] for every
 * row i = rows[k] of a building, `design` being the towtDesign of those rows
 * for this model's terms (the one its expectations came from). Its columns
 * are the very components temperaturePart sums, in the same order, so the
 * ratios are the same to the last bit; the fill temperature's part is taken
 * once per block instead of twice per reading. False (nothing written) when
 * the model has no temperature terms: every ratio is 1.
 */
export function loadRatiosAt(
  towt: TowtModel,
  scale: number,
  design: TowtDesign,
  rows: Int32Array,
  slot: Int32Array,
  temp: Float64Array,
  expected: Float64Array,
  out: Float64Array,
): boolean {
  const k = towt.knots.length;
  if (k === 0) return false;
  const w = design.width;
  const v = design.values;
  const beta = towt.beta;
  const occupied = towt.occupied;
  const atFillOccupied = addTemperatureTerms(towt, 0, towt.fillTemp, 0);
  const atFillUnoccupied = addTemperatureTerms(towt, blockWidth(towt), towt.fillTemp, 0);
  for (let q = 0; q < rows.length; q++) {
    const i = rows[q]!;
    const t = temp[i]!;
    if (!Number.isFinite(t)) {
      out[q] = 1;
      continue;
    }
    const occ = occupied[slot[i]!];
    const off = occ ? 0 : w;
    const o = q * w;
    let part = 0;
    for (let j = 0; j <= k; j++) part += beta[off + j]! * v[o + j]!;
    const f = expected[i]!;
    const typical = f - scale * (part - (occ ? atFillOccupied : atFillUnoccupied));
    out[q] = typical > 0 && f > typical ? f / typical : 1;
  }
  return true;
}
