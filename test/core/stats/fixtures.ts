import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Typed access to the scipy/numpy reference values in test/fixtures/stats (made by scripts/fixtures/stats_reference.py). */

export interface FormulaSpec {
  n: number;
  mult: number;
  mod: number;
  scale: number;
  shift: number;
}

export interface KsCase {
  name: string;
  n1: number;
  n2: number;
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymp';
  a?: number[];
  b?: number[];
  gen?: { a: FormulaSpec; b: FormulaSpec };
}

export interface PsiCase {
  name: string;
  bins: number;
  ref: number[];
  cur: number[];
  edges: number[];
  refCounts: number[];
  curCounts: number[];
  psi: number;
}

export interface MiscFixture {
  quantile: Array<{ data: number[]; q: number[]; expected: number[] }>;
  wasserstein: Array<{ u: number[]; v: number[]; distance: number }>;
  jensenShannon: Array<{ p: number[]; q: number[]; distance: number; distanceBase2: number }>;
  chiSquare: Array<{ ref: number[]; cur: number[]; statistic: number; dof: number; pValue: number }>;
  chiSquareSf: Array<{ x: number; dof: number; sf: number }>;
  corrections: Array<{ p: number[]; bonferroni: number[]; bh: number[] }>;
}

export interface KstwoFixture {
  kstwo: Array<{ n: number; d: number; sf: number }>;
  smirnov: Array<{ n: number; x: number; sf: number }>;
}

function load<T>(name: string): T {
  const url = new URL(`../../fixtures/stats/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

export const ksExact = (): KsCase[] => load<{ cases: KsCase[] }>('ks-exact.json').cases;
export const ksAsymp = (): KsCase[] => load<{ cases: KsCase[] }>('ks-asymp.json').cases;
export const kstwo = (): KstwoFixture => load<KstwoFixture>('kstwo.json');
export const psiCases = (): PsiCase[] => load<{ cases: PsiCase[] }>('psi.json').cases;
export const misc = (): MiscFixture => load<MiscFixture>('misc.json');

/** The integer formula of the fixture script, giving bit-identical doubles. */
export function formula(spec: FormulaSpec): Float64Array {
  const out = new Float64Array(spec.n);
  for (let i = 0; i < spec.n; i++) out[i] = (((i * spec.mult) % spec.mod) / spec.mod) * spec.scale + spec.shift;
  return out;
}
