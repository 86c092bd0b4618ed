import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isJsonText } from '../../../src-main/core/registry/json-check';

const accepts = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
const check = (text: string): boolean => isJsonText(Buffer.from(text, 'utf8'));

describe('isJsonText', () => {
  it('accepts JSON texts and refuses the rest, as JSON.parse does', () => {
    const cases = [
      '{}',
      '[]',
      ' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"]} ',
      '0',
      '-0.1',
      '"s"',
      '[[[]]]',
      '{"a":{"b":{}}}',
      '',
      ' ',
      '{',
      '}',
      '[1,]',
      '{"a":1,}',
      '{a:1}',
      "{'a':1}",
      '01',
      '1.',
      '.5',
      '+1',
      '1e',
      '--1',
      'tru',
      'nul',
      'NaN',
      '"\\x"',
      '"\\u12"',
      '"a\nb"',
      '[1 2]',
      '{"a" 1}',
      '{"a":1 "b":2}',
      '1 2',
      '[]]',
      'def f(): pass',
      '\ufeff{}',
    ];
    for (const text of cases) expect(check(text), JSON.stringify(text)).toBe(accepts(text));
  });

  it('accepts whatever JSON.stringify produces (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => check(JSON.stringify(v)) && check(JSON.stringify(v, null, 2))),
      { numRuns: 2000 },
    );
  });

  it('agrees with JSON.parse on damaged JSON (property)', () => {
    const damaged = fc
      .tuple(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.nat(),
        fc.constantFrom('', ',', '}', ']', '"', ':', '1', ' ', 'x', '\\'),
        fc.nat(3),
      )
      .map(([text, at, insert, cut]) => {
        const k = text.length ? at % text.length : 0;
        return text.slice(0, k) + insert + text.slice(k + cut);
      });
    fc.assert(
      fc.property(damaged, (text) => check(text) === accepts(text)),
      { numRuns: 5000 },
    );
  });
});
