/**
 * Small dense linear algebra for least squares: a Cholesky factorisation of
 * a symmetric positive-definite matrix and the solve that uses it. Matrices
 * are row-major Float64Arrays of n × n. Sizes here are tens of unknowns, so
 * the textbook O(n³/3) algorithm is the right tool.
 */

/** Lower-triangular L with A = L Lᵀ (returned as a new n × n array). Throws if A is not positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  if (a.length !== n * n) throw new Error(`expected an ${n} × ${n} matrix, got ${a.length} entries`);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! ** 2;
    if (!(d > 0)) throw new Error(`matrix is not positive definite (pivot ${j} is ${d})`);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solves L Lᵀ x = b given the Cholesky factor L. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  if (b.length !== n) throw new Error(`expected a right-hand side of ${n} entries, got ${b.length}`);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/** Solves the symmetric positive-definite system A x = b. */
export function solveSpd(a: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return choleskySolve(cholesky(a, n), n, b);
}

/**
 * Ridge least squares by the normal equations: minimises
 * Σ wᵢ (yᵢ − xᵢ·β)² + λ Σ β² for row-major X (rows × p).
 * `weights` null means all ones.
 */
export function ridgeLeastSquares(
  x: Float64Array,
  rows: number,
  p: number,
  y: ArrayLike<number>,
  lambda: number,
  weights: ArrayLike<number> | null = null,
): Float64Array {
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let r = 0; r < rows; r++) {
    const w = weights ? weights[r]! : 1;
    if (w === 0) continue;
    const off = r * p;
    for (let i = 0; i < p; i++) {
      const xi = x[off + i]! * w;
      if (xi === 0) continue;
      xty[i]! += xi * y[r]!;
      for (let j = 0; j <= i; j++) xtx[i * p + j]! += xi * x[off + j]!;
    }
  }
  for (let i = 0; i < p; i++) {
    xtx[i * p + i]! += lambda;
    for (let j = 0; j < i; j++) xtx[j * p + i] = xtx[i * p + j]!;
  }
  return solveSpd(xtx, p, xty);
}
