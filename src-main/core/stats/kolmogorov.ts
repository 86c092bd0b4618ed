import { smirnovSf } from './smirnov';

/**
 * Distribution of the two-sided one-sample KS statistic D_n — scipy's
 * `kstwo` — which scipy's `ks_2samp` uses for its asymptotic two-sided p-value
 * (`kstwo.sf(D, round(m·n/(m+n)))`). Ported from `scipy/stats/_ksstats.py`
 * (Simard & L'Ecuyer's choice among Durbin/Marsaglia–Tsang–Wang matrix,
 * Pomeranz recursion, Pelz–Good asymptotics and the one-sided Smirnov sum).
 */

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const MIN_LOG = -708;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
/** Stirling series coefficients B_{2j}/(2j)/(2j−1), j = 8 … 1 (polyval order). */
/* eslint-disable no-loss-of-precision -- scipy's digits, kept verbatim to compare with its source */
const STIRLING_COEFFS = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4,
  7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];
/* eslint-enable no-loss-of-precision */

/**
 * Pr(D_n ≥ d), as `scipy.stats.kstwo.sf(d, n)` including its support rule
 * (1 for d ≤ 1/(2n), 0 for d ≥ 1).
 */
export function kstwoSf(d: number, n: number): number {
  if (Number.isNaN(d) || !Number.isInteger(n) || n < 1) return NaN;
  if (d <= 0.5 / n) return 1;
  if (d >= 1) return 0;
  return kolmogn(n, d, false);
}

/** Pr(D_n ≤ d), `scipy.stats.kstwo.cdf(d, n)`. */
export function kstwoCdf(d: number, n: number): number {
  if (Number.isNaN(d) || !Number.isInteger(n) || n < 1) return NaN;
  if (d <= 0.5 / n) return 0;
  if (d >= 1) return 1;
  return kolmogn(n, d, true);
}

function pick(cdfProb: number, sfProb: number, cdf: boolean): number {
  return clamp01(cdf ? cdfProb : sfProb);
}

function clamp01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/** scipy `_kolmogn`: the algorithm choice of Simard & L'Ecuyer (2011). */
function kolmogn(n: number, x: number, cdf: boolean): number {
  if (x >= 1) return pick(1, 0, cdf);
  if (x <= 0) return pick(0, 1, cdf);
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: exact for 1/(2n) ≤ x ≤ 1/n.
    if (t <= 0.5) return pick(0, 1, cdf);
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return pick(prob, 1 - prob, cdf);
  }
  if (t >= n - 1) {
    const prob = 2 * Math.pow(1 - x, n);
    return pick(1 - prob, prob, cdf);
  }
  if (x >= 0.5) {
    // D_n^+ ≥ x and D_n^- ≥ x cannot both happen above 1/2: exactly twice the one-sided tail.
    const prob = 2 * smirnovSf(n, x);
    return pick(1 - prob, prob, cdf);
  }
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) {
      const prob = durbinMatrixCdf(n, x);
      return pick(prob, 1 - prob, cdf);
    }
    if (nxSquared <= 4) {
      const prob = pomeranzCdf(n, x);
      return pick(prob, 1 - prob, cdf);
    }
    const prob = 2 * smirnovSf(n, x);
    return pick(1 - prob, prob, cdf);
  }
  // The upper tail has its own cut-offs: there 2·smirnov is accurate and cheap.
  if (!cdf) {
    if (nxSquared >= 370) return 0;
    if (nxSquared >= 2.2) return clamp01(2 * smirnovSf(n, x));
  }
  let cdfProb: number;
  if (nxSquared >= 18) cdfProb = 1;
  else if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) cdfProb = durbinMatrixCdf(n, x);
  else cdfProb = pelzGoodCdf(n, x);
  return pick(cdfProb, 1 - cdfProb, cdf);
}

/** log(n!/n^n) by Stirling's series with n·log(n) removed up front (no cancellation). */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING_COEFFS) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/**
 * Durbin's matrix algorithm as arranged by Marsaglia, Tsang & Wang (2003):
 * Pr(D_n ≤ d) is the (k,k) entry of (n!/n^n)·H^n for a (2k−1)² matrix H.
 * Powers are rescaled by 2^128 to stay in range and the exponent kept apart.
 */
function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - Math.pow(h, j)) * fac;
  }
  const tt = Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m);
  v[m - 1] = (1 + tt) * fac;

  let H: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)]!;
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;

  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      power = matmul(power, H, m);
      expnt += hExpnt;
    }
    H = matmul(H, H, m);
    hExpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > E128) {
      for (let i = 0; i < m * m; i++) H[i]! /= E128;
      hExpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = power[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      expnt -= 128;
    }
  }
  return ldexp(p, expnt);
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      const bRow = k * m;
      const oRow = i * m;
      for (let j = 0; j < m; j++) out[oRow + j]! += aik * b[bRow + j]!;
    }
  }
  return out;
}

/** x·2^e without the intermediate overflow/underflow of Math.pow(2, e) at extreme e. */
function ldexp(x: number, e: number): number {
  let r = x;
  let rest = e;
  while (rest > 1000) {
    r *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    r *= 2 ** -1000;
    rest += 1000;
  }
  return r * 2 ** rest;
}

/** Row interval [j1, j2] of the Pomeranz recursion (scipy `_pomeranz_compute_j1j2`). */
function pomeranzJ1J2(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/**
 * Pomeranz (1974) recursion for Pr(D_n ≤ x), n ≤ 140: each row is the previous
 * row convolved with (almost-)Poisson weights; only a few contiguous entries are
 * non-zero, so two short rows are kept with their start offsets.
 */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = 1;
  twogpower[0] = 1;
  onem2gpower[0] = 1;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1]! * gOverN) / m;
    twogpower[m] = (twogpower[m - 1]! * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1]! * oneMinusTwoGOverN) / m;
  }
  let v0 = new Float64Array(npwrs);
  let v1 = new Float64Array(npwrs);
  v1[0] = 1;
  let v0s = 0;
  let v1s = 0;
  let expnt = 0;
  let [j1, j2] = pomeranzJ1J2(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0s, v1s] = [v1s, v0s];
    v1.fill(0);
    [j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      const aStart = k1 - v0s;
      const aLen = Math.max(0, Math.min(ln2, npwrs - aStart));
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let maxV = -Infinity;
      for (let c = 0; c < convLen; c++) {
        // Entry (convStart + c) of the full convolution of V0[aStart:aStart+aLen] and pwrs[:ln2].
        const idx = convStart + c;
        let s = 0;
        const lo = Math.max(0, idx - (ln2 - 1));
        const hi = Math.min(idx, aLen - 1);
        for (let a = lo; a <= hi; a++) s += v0[aStart + a]! * pwrs[idx - a]!;
        v1[c] = s;
        if (s > maxV) maxV = s;
      }
      if (maxV > 0 && maxV < EM128) {
        for (let c = 0; c < npwrs; c++) v1[c]! *= E128;
        expnt -= 128;
      }
      v1s = v0s + j1 - k1;
    }
  }
  let ans = v1[n - v1s]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  return ldexp(ans, expnt);
}

/**
 * Pelz–Good (1976) asymptotic series for Pr(D_n ≤ x): the Li-Chien/Korolyuk
 * expansion K0 + K1/√n + K2/n + K3/n^1.5 rewritten with Jacobi theta identities
 * so it converges for the small z = x·√n where the other methods are too slow.
 */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);

  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = Math.pow(q, 8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qpower + coeffs[i]!;
  }
  const denominators = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / denominators[i]!;

  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = SQRT3 * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = Math.pow(q, k2);
    const kpi = Math.PI * k;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2]! += k2extra * ((PI2 * SQRT2PI) / (-36 * z3));
  K[3]! += k3extra * ((PI2 * SQRT2PI) / (216 * z6));
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i]! / Math.pow(n, i / 2);
  return sum;
}
