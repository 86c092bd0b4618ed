/**
 * Both day profiles' expectations of one meter at a building's rows, from the
 * rows' design (towt.ts): what predictDesign gives at each row's hour-of-week
 * slot (normal) and at its closed-day slot, times the baseline's scale, the
 * terms added in predictDesign's order so the values are the same to the last
 * bit. One loop for both profiles, over typed copies of the coefficients: the
 * two sums are independent, so they overlap, and a coefficient read is not a
 * generic array load (this ran once per reading, meter and profile).
 */
import { HOURS_PER_WEEK, type TowtDesign, type TowtModel } from './towt';

export function predictProfiles(
  towt: TowtModel,
  scale: number,
  design: TowtDesign,
  how: Int32Array,
  rows: Int32Array,
  normal: Float64Array,
  closed: Float64Array,
): void {
  const alpha = Float64Array.from(towt.alpha);
  const occupied = Uint8Array.from(towt.occupied);
  const beta = Float64Array.from(towt.beta);
  const w = design.width;
  const v = design.values;
  for (let k = 0; k < rows.length; k++) {
    const h = how[rows[k]!]!;
    const c = HOURS_PER_WEEK + (h % 24);
    let yn = alpha[h]!;
    let yc = alpha[c]!;
    const on = occupied[h] ? 0 : w;
    const oc = occupied[c] ? 0 : w;
    const o = k * w;
    for (let j = 0; j < w; j++) {
      const x = v[o + j]!;
      yn += beta[on + j]! * x;
      yc += beta[oc + j]! * x;
    }
    normal[k] = scale * yn;
    closed[k] = scale * yc;
  }
}
