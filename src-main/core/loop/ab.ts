import type { Arm } from '../../contract/shared/ab';
import { requestIdHash } from '../monitoring';
import { fmix32 } from '../data/rng';

/**
 * A/B and shadow routing on an alias, and the A/B report's statistics (issue
 * 12 item 4). Routing is deterministic: the same building id (or the same
 * reading) always goes to the same arm, so a building is judged by one model.
 * The report compares the arms' anomaly rates with a two-proportion z-test and
 * says when the sample is too small to decide.
 */

export type RoutedArm = Exclude<Arm, 'shadow'>;

/**
 * The arm of a key (a building id, or a reading's hash text): FNV-1a of salt +
 * key, finished with murmur3's fmix32, as a share of 2³². Without the finish,
 * keys that differ only in their last characters ("B07", "B08") share their
 * high bits, and a 30 % share sent 19 of 20 buildings to one arm.
 */
export function armOf(key: string, share: number, salt = ''): RoutedArm {
  return fmix32(requestIdHash(`${salt}\u0000${key}`)) / 4294967296 < share ? 'challenger' : 'champion';
}

/**
 * Routes `n` readings: 1 where the challenger decides. `codes[i]` names a
 * building of `dictionary` (−1 none) when routing by building, so each
 * building is hashed once; otherwise `keyOf(i)` is the reading's own key.
 * A reading without a building, when routing by building, stays with the champion.
 */
export function routeReadings(
  n: number,
  run: { share: number; salt: string },
  by: { codes: Int32Array; dictionary: readonly string[] } | { keyOf: (i: number) => string },
): Uint8Array {
  const out = new Uint8Array(n);
  if (run.share <= 0) return out;
  if ('codes' in by) {
    const perCode = Uint8Array.from(by.dictionary, (id) => (armOf(id, run.share, run.salt) === 'challenger' ? 1 : 0));
    for (let i = 0; i < n; i++) {
      const c = by.codes[i]!;
      out[i] = c >= 0 ? perCode[c]! : 0;
    }
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = armOf(by.keyOf(i), run.share, run.salt) === 'challenger' ? 1 : 0;
  return out;
}

/** erfc with relative error below 1.2e-7 (Numerical Recipes' Chebyshev fit), enough for p-values. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export interface TwoProportion {
  /** Challenger rate − champion rate. */
  difference: number;
  z: number;
  /** Two-sided. */
  pValue: number;
}

/** Pooled two-proportion z-test of x2/n2 against x1/n1 (scipy: 2·norm.sf(|z|)). */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): TwoProportion {
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  const difference = x2 / n2 - x1 / n1;
  if (!(se > 0)) return { difference, z: 0, pValue: 1 };
  const z = difference / se;
  return { difference, z, pValue: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) };
}

/** Each arm needs at least this many flagged and this many unflagged readings for the normal approximation. */
export const MIN_EXPECTED = 10;

export interface AbVerdict {
  decided: boolean;
  message: string;
  test: TwoProportion | null;
}

/** The A/B report's verdict on anomaly rates, or why the sample is too small to decide. */
export function abVerdict(
  arms: { champion: { n: number; flagged: number }; challenger: { n: number; flagged: number } },
  alpha = 0.05,
): AbVerdict {
  const { champion: a, challenger: b } = arms;
  const small = [
    ['champion', a],
    ['challenger', b],
  ].filter(([, s]) => {
    const x = s as { n: number; flagged: number };
    return x.flagged < MIN_EXPECTED || x.n - x.flagged < MIN_EXPECTED;
  });
  if (small.length > 0) {
    const names = small.map(([name]) => name).join(' and ');
    return {
      decided: false,
      test: null,
      message: `Sample too small to decide: the ${names} arm${small.length > 1 ? 's need' : ' needs'} at least ${MIN_EXPECTED} flagged and ${MIN_EXPECTED} unflagged readings.`,
    };
  }
  const test = twoProportionTest(a.flagged, a.n, b.flagged, b.n);
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const rates = `champion ${pct(a.flagged / a.n)} vs challenger ${pct(b.flagged / b.n)}, p = ${test.pValue.toPrecision(3)}`;
  return test.pValue < alpha
    ? { decided: true, test, message: `The anomaly rates differ (${rates}).` }
    : { decided: false, test, message: `No difference in anomaly rate shown at ${alpha} (${rates}).` };
}
