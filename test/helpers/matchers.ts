import { expect } from 'vitest';

/**
 * `expect(actual).toBeCloseToRel(expected, { rel, abs })`: passes when
 * |actual − expected| ≤ max(abs, rel·|expected|). A failure names both numbers,
 * their difference and the allowed difference, unlike
 * `expect(close(a, b)).toBe(true)`, which only said "expected false to be true".
 * NaN matches only NaN; an infinity only the same infinity.
 */
export interface Closeness {
  /** Allowed difference relative to |expected|. Default 0. */
  rel?: number;
  /** Allowed absolute difference. Default 0. */
  abs?: number;
}

/** The one closeness rule of the tests (the matcher and the list checks that collect every miss). */
export function isCloseRel(actual: number, expected: number, { rel = 0, abs = 0 }: Closeness = {}): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual === expected;
  return Math.abs(actual - expected) <= Math.max(abs, rel * Math.abs(expected));
}

expect.extend({
  toBeCloseToRel(received: unknown, expected: number, tolerance: Closeness = {}) {
    const { rel = 0, abs = 0 } = tolerance;
    if (typeof received !== 'number') {
      return { pass: false, message: () => `expected a number close to ${expected}, got ${typeof received} ${JSON.stringify(received)}` };
    }
    const pass = isCloseRel(received, expected, tolerance);
    const diff = Math.abs(received - expected);
    const allowed = Math.max(abs, rel * Math.abs(expected));
    return {
      pass,
      actual: received,
      expected,
      message: () =>
        `expected ${received} ${pass ? 'not ' : ''}to be close to ${expected}: ` +
        `difference ${diff} (relative ${expected === 0 ? '∞' : diff / Math.abs(expected)}), allowed ${allowed} (rel ${rel}, abs ${abs})`,
    };
  },
});

interface CloseToRelMatchers<R = unknown> {
  toBeCloseToRel(expected: number, tolerance?: Closeness): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends CloseToRelMatchers<T> {}
}
