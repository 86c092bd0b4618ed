/**
 * `n.toLocaleString('en-US')` for a count (a safe integer: digits grouped by threes with commas), without Intl: a
 * command's first use of the locale data costs 5-10 ms, and `greenlens score`'s closing line was its only use.
 * Anything else (fractions, -0, huge values) still goes through toLocaleString.
 */
export function countText(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let at = out.length; at < digits.length; at += 3) out += `,${digits.slice(at, at + 3)}`;
  return n < 0 ? `-${out}` : out;
}
