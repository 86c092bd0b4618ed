import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve, ridgeLeastSquares, solveSpd } from '../../../../src-main/core/model/contextual/linear-solve';

describe('Cholesky solver', () => {
  it('factors a known SPD matrix exactly: [[4,12,-16],[12,37,-43],[-16,-43,98]] = L Lᵀ with L = [[2],[6,1],[-8,5,3]]', () => {
    const a = Float64Array.from([4, 12, -16, 12, 37, -43, -16, -43, 98]);
    expect(Array.from(cholesky(a, 3))).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
    // A x = b with x = (1, -2, 0.5): b = A x.
    const x = solveSpd(a, 3, [4 * 1 + 12 * -2 + -16 * 0.5, 12 - 74 - 21.5, -16 + 86 + 49]);
    expect(x[0]).toBeCloseTo(1, 12);
    expect(x[1]).toBeCloseTo(-2, 12);
    expect(x[2]).toBeCloseTo(0.5, 12);
  });

  it('refuses a matrix that is not positive definite, and mismatched sizes', () => {
    expect(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toThrow('matrix is not positive definite (pivot 1 is -3)');
    expect(() => cholesky(Float64Array.from([1, 2, 3]), 2)).toThrow('expected an 2 × 2 matrix, got 3 entries');
    expect(() => choleskySolve(Float64Array.from([1]), 1, [1, 2])).toThrow('expected a right-hand side of 1 entries, got 2');
  });

  it('least squares recovers the coefficients of an exact linear relation, and ridge shrinks them', () => {
    const rows = 50;
    const x = new Float64Array(rows * 3);
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const a = Math.sin(r);
      const b = (r % 7) - 3;
      x.set([1, a, b], r * 3);
      y[r] = 2 - 3 * a + 0.25 * b;
    }
    const beta = ridgeLeastSquares(x, rows, 3, y, 0);
    expect(beta[0]).toBeCloseTo(2, 10);
    expect(beta[1]).toBeCloseTo(-3, 10);
    expect(beta[2]).toBeCloseTo(0.25, 10);
    const shrunk = ridgeLeastSquares(x, rows, 3, y, 1000);
    expect(Math.hypot(...shrunk)).toBeLessThan(Math.hypot(...beta));
    // Weight 0 removes a row: a wild value there changes nothing.
    const w = new Float64Array(rows).fill(1);
    w[10] = 0;
    const y2 = Float64Array.from(y);
    y2[10] = 1e6;
    expect(ridgeLeastSquares(x, rows, 3, y2, 0, w)[1]).toBeCloseTo(-3, 10);
  });
});
