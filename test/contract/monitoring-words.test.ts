import { describe, expect, it } from 'vitest';
import { driftWindowWords, keptWords } from '../../src-main/contract/shared/monitoring';

const DAY = 86_400_000;

describe('the drift window in words', () => {
  it('says "the last N predictions" for a window of every reading', () => {
    expect(driftWindowWords({ rows: 10_000, sampledEvery: 1, fromMs: 0, toMs: 3 * DAY })).toBe('the last 10,000 predictions');
    expect(driftWindowWords({ rows: 250, sampledEvery: 1, fromMs: null, toMs: null })).toBe('the last 250 predictions');
  });

  it('says how many days a widened window spans and about 1 in how many it kept', () => {
    expect(driftWindowWords({ rows: 10_000, sampledEvery: 4.7, fromMs: 0, toMs: 7 * DAY - 3_600_000 })).toBe(
      '10,000 predictions of the last 7 days (1 in 4.7 kept)',
    );
    expect(driftWindowWords({ rows: 90, sampledEvery: 8, fromMs: 0, toMs: 2 * 3_600_000 })).toBe(
      '90 predictions of the last day (1 in 8 kept)',
    );
    expect(keptWords(1_250)).toBe('1 in 1,250 kept');
  });
});
