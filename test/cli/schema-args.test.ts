import { describe, expect, it } from 'vitest';
import { SimulateInputSchema } from '../../src-main/contract/ops/data';
import { TrainInputSchema } from '../../src-main/contract/ops/model';
import { SIMULATE } from '../../src-main/contract/shared/data';
import { TRAIN } from '../../src-main/contract/shared/model';
import { accepts, flagValue } from '../../src-main/cli/schema-args';

const train = TrainInputSchema.shape;

describe('flags read through the operation schema', () => {
  it('an absent flag takes the schema default, which is the leaf constant', () => {
    expect(flagValue(train.trees, 'trees', undefined)).toBe(TRAIN.trees.default);
    expect(flagValue(train.contamination, 'contamination', undefined)).toBe(TRAIN.contamination.default);
    expect(flagValue(train.normalize, 'normalize', undefined)).toBeUndefined();
    expect(flagValue(SimulateInputSchema.shape.days, 'days', undefined)).toBe(SIMULATE.days.default);
  });

  it('converts numbers and keeps literal choices', () => {
    expect(flagValue(train.trees, 'trees', '250')).toBe(250);
    expect(flagValue(train.contamination, 'contamination', 'auto')).toBe('auto');
    expect(flagValue(train.contamination, 'contamination', '0.05')).toBe(0.05);
    expect(flagValue(train.normalize, 'normalize', 'per-id')).toBe('per-id');
  });

  it('says in words what the schema accepts', () => {
    expect(accepts(train.trees)).toBe('an integer between 1 and 5000');
    expect(accepts(train.holdout)).toBe('a number between 0 and 0.5');
    expect(accepts(train.contamination)).toBe('"auto" or a number in (0, 0.5]');
    expect(accepts(train.normalize)).toBe('one of none, per-id');
  });

  it('names the flag and the value it refused', () => {
    expect(() => flagValue(train.trees, 'trees', '5001')).toThrow('--trees must be an integer between 1 and 5000, got 5001.');
    expect(() => flagValue(train.seed, 'seed', 'Infinity')).toThrow('--seed must be an integer between 0 and 4294967295, got "Infinity".');
    expect(() => flagValue(train.normalize, 'normalize', 'zscore')).toThrow('--normalize must be one of none, per-id, got "zscore".');
  });
});
