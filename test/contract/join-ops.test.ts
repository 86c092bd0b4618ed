import { z } from 'zod';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ops, workerOps, type OpName } from '../../src-main/contract';
import { joinOps, op } from '../../src-main/contract/define';
import { dataOps } from '../../src-main/contract/ops/data';
import { modelOps } from '../../src-main/contract/ops/model';

const empty = z.object({}).strict();

describe('joinOps', () => {
  it('joins disjoint groups into one table', () => {
    const a = { 'a.one': op<number>()(() => empty) };
    const b = { 'b.one': op<string>()(() => empty), 'b.two': op<boolean>()(() => empty) };
    const joined = joinOps(a, b);
    expect(Object.keys(joined)).toEqual(['a.one', 'b.one', 'b.two']);
    expect(joined['b.two']).toBe(b['b.two']);
    expectTypeOf(joined).toHaveProperty('a.one');
    expectTypeOf(joined).toHaveProperty('b.two');
  });

  it('refuses an operation name defined in two groups, at type-check time and at load', () => {
    const clash = { 'model.train': op<number>()(() => empty) };
    // tsc fails the build here: `model.train` is in both groups (this line proves it, it must stay an error).
    // @ts-expect-error duplicate operation name
    const join = () => joinOps(dataOps, modelOps, clash);
    expect(join).toThrow('Operation "model.train" is defined in two groups.');
  });

  it("builds an operation's schema on first use, once", () => {
    let built = 0;
    const spec = op<number>()(() => {
      built++;
      return z.object({ n: z.number().default(3) }).strict();
    });
    expect(built).toBe(0);
    expect(spec.input.parse({})).toEqual({ n: 3 });
    expect(spec.input).toBe(spec.input);
    expect(built).toBe(1);
    expect(() => spec.input.parse({ n: 'x' })).toThrow();
  });

  it('the contract table holds every group, host operations included', () => {
    expect(Object.keys(ops).length).toBe(Object.keys(workerOps).length + 4);
    expectTypeOf<'model.train' | 'settings.get' | 'data.import'>().toMatchTypeOf<OpName>();
  });
});
