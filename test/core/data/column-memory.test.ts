import { describe, expect, it } from 'vitest';
import { allocColumn, inSharedMemory, isShared, memoryOf, resizedCopy } from '../../../src-main/core/data/column-memory';

describe('column memory', () => {
  it('allocates zeroed columns in the memory asked for', () => {
    const own = allocColumn(Float64Array, 4, 'own');
    const shared = allocColumn(Int32Array, 3, 'shared');
    expect(own).toBeInstanceOf(Float64Array);
    expect(shared).toBeInstanceOf(Int32Array);
    expect(Array.from(own)).toEqual([0, 0, 0, 0]);
    expect(Array.from(shared)).toEqual([0, 0, 0]);
    expect([isShared(own), isShared(shared)]).toEqual([false, true]);
    expect([memoryOf(own), memoryOf(shared)]).toEqual(['own', 'shared']);
    expect(shared.buffer.byteLength).toBe(12);
  });

  it('copies into a new array of another length, where the original is unless told otherwise', () => {
    const a = allocColumn(Float64Array, 3, 'shared');
    a.set([1.5, -2, NaN]);
    const longer = resizedCopy(a, 5);
    expect(Array.from(longer)).toEqual([1.5, -2, NaN, 0, 0]);
    expect(isShared(longer)).toBe(true);
    expect(longer.buffer).not.toBe(a.buffer);
    const shorter = resizedCopy(Int32Array.from([7, 8, 9]), 2);
    expect(Array.from(shorter)).toEqual([7, 8]);
    expect(isShared(shorter)).toBe(false);
    expect(isShared(resizedCopy(shorter, 2, 'shared'))).toBe(true);
    // A view copies only its own elements.
    expect(Array.from(resizedCopy(Float64Array.from([1, 2, 3, 4]).subarray(1, 3), 2))).toEqual([2, 3]);
  });

  it('inSharedMemory gives a shared array as it is and copies any other', () => {
    const shared = allocColumn(Float64Array, 2, 'shared');
    expect(inSharedMemory(shared)).toBe(shared);
    const own = Int32Array.from([3, -1, 4]);
    const copy = inSharedMemory(own);
    expect(copy).not.toBe(own);
    expect(copy).toBeInstanceOf(Int32Array);
    expect(isShared(copy)).toBe(true);
    expect(Array.from(copy)).toEqual([3, -1, 4]);
    own[0] = 99;
    expect(copy[0]).toBe(3);
  });
});
