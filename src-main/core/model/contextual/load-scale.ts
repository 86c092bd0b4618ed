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
import { addTemperatureTerms, blockWidth, type TowtModel } from './towt';

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
