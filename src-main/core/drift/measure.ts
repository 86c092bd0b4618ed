import { alignCounts, chiSquareHomogeneity, valueCounts, type ChiSquareResult } from '../stats/chi-square';
import { countByEdgesSorted, histogramCountsSorted, niceEdges, proportions, rebinCounts } from '../stats/histogram';
import { jensenShannon } from '../stats/jensen-shannon';
import { compareEcdfs } from '../stats/ecdf';
import { ksFromStatistic, type KsResult } from '../stats/ks';
import { meanShift } from '../stats/mean-shift';
import { moments } from '../stats/moments';
import { psiFromProportions } from '../stats/psi';
import { normalisedWasserstein } from '../stats/wasserstein';
import type { PreparedFeature } from './reference';

/** Raw per-feature drift measurements, before any multiple-testing correction or decision. */

export interface Histogram {
  edges: number[];
  counts: number[];
  proportions: number[];
}

export interface FeatureMeasures {
  name: string;
  kind: 'continuous' | 'categorical';
  psi: number;
  ks: KsResult;
  chiSquare: ChiSquareResult | null;
  meanShift: number;
  /** Current mean − reference mean, in the feature's unit. */
  meanDelta: number;
  /** Wasserstein distance in reference standard deviations. */
  wasserstein: number;
  wassersteinRaw: number;
  /** On the PSI bins, natural-log base: in [0, sqrt(ln 2)]. */
  jensenShannon: number;
  currentMean: number;
  currentStd: number;
  counts: { reference: number; referenceMissing: number; current: number; currentMissing: number; referenceUsedForKs: number };
  histograms: { reference: Histogram; current: Histogram } | null;
}

export interface MeasureOptions {
  /** Overlay histogram bin budget (≤ 60). 0 skips histograms (trend chunks). */
  histogramBins: number;
}

/** `current` must be ascending and finite; `currentMissing` is the count of dropped readings. */
export function measureFeature(ref: PreparedFeature, current: Float64Array, currentMissing: number, opts: MeasureOptions): FeatureMeasures {
  const cur = moments(current);
  const curProportions = proportions(countByEdgesSorted(current, ref.psiEdges));
  const ecdf = compareEcdfs(ref.sorted, current);
  const ks = ksFromStatistic(ecdf.ksStatistic, ref.sorted.length, current.length);
  const wassersteinRaw = ecdf.wasserstein;
  let chiSquare: ChiSquareResult | null = null;
  if (ref.valueCounts) {
    const aligned = alignCounts(ref.valueCounts, valueCounts(current));
    chiSquare = chiSquareHomogeneity(aligned.ref, aligned.cur);
  }
  return {
    name: ref.name,
    kind: ref.valueCounts ? 'categorical' : 'continuous',
    psi: psiFromProportions(ref.psiProportions, curProportions),
    ks,
    chiSquare,
    meanShift: meanShift(ref.mean, ref.std, cur.mean),
    meanDelta: cur.mean - ref.mean,
    wasserstein: normalisedWasserstein(wassersteinRaw, ref.std),
    wassersteinRaw,
    jensenShannon: jensenShannon(ref.psiProportions, curProportions),
    currentMean: cur.mean,
    currentStd: cur.std,
    counts: {
      reference: ref.count,
      referenceMissing: ref.missing,
      current: current.length,
      currentMissing,
      referenceUsedForKs: ref.sorted.length,
    },
    histograms: opts.histogramBins > 0 ? overlayHistograms(ref, current, Math.min(60, opts.histogramBins)) : null,
  };
}

/**
 * Reference and current histograms on one set of round-numbered bins spanning
 * both samples, for an overlay chart. A profile reference only has its 30-bin
 * chart histogram, which is spread onto the shared bins by overlap.
 */
function overlayHistograms(ref: PreparedFeature, current: Float64Array, maxBins: number): { reference: Histogram; current: Histogram } {
  const lo = Math.min(ref.min, current[0]!);
  const hi = Math.max(ref.max, current[current.length - 1]!);
  const edges = niceEdges(lo, hi, maxBins);
  const refCounts =
    ref.histogram && ref.histogram.edges.length >= 2
      ? rebinCounts(ref.histogram.edges, ref.histogram.counts, edges)
      : histogramCountsSorted(ref.sorted, edges);
  const curCounts = histogramCountsSorted(current, edges);
  return { reference: histogram(edges, refCounts), current: histogram(edges, curCounts) };
}

function histogram(edges: number[], counts: ArrayLike<number>): Histogram {
  return { edges, counts: Array.from(counts), proportions: proportions(counts) };
}
