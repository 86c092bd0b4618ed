import { scaleByStd } from './wasserstein';

/**
 * |mean_cur − mean_ref| / std_ref, the mean shift in reference standard
 * deviations. std_ref = 0 (a constant reference): 0 if the means are equal,
 * otherwise EFFECT_SIZE_CAP (1e6) instead of Infinity so reports stay valid JSON.
 */
export function meanShift(referenceMean: number, referenceStd: number, currentMean: number): number {
  return scaleByStd(currentMean - referenceMean, referenceStd);
}
