import { describe, expect, it } from 'vitest';
import { parseReadings, readingTime, topicLevel } from '../../../src-main/core/data/readings';

const F = ['kw', 'temp'];
const NOW = Date.UTC(2025, 5, 1, 12);

describe('pushed readings', () => {
  it('reads epoch seconds, epoch milliseconds and ISO 8601 as the same instant', () => {
    const ms = Date.UTC(2025, 0, 1, 0, 15);
    expect(readingTime(ms / 1000)).toBe(ms);
    expect(readingTime(ms)).toBe(ms);
    expect(readingTime('2025-01-01T00:15:00Z')).toBe(ms);
    expect(readingTime('2025-01-01T01:15:00+01:00')).toBe(ms);
    expect(readingTime(String(ms / 1000))).toBe(ms);
    expect(readingTime('yesterday')).toBeNaN();
    expect(readingTime(true)).toBeNaN();
  });

  it('takes the building id from a topic level counted from 0', () => {
    expect(topicLevel('site/B01/readings', 1)).toBe('B01');
    expect(topicLevel('site/B01/readings', 0)).toBe('site');
    expect(topicLevel('site/B01/readings', 3)).toBeNull();
    expect(topicLevel('site//readings', 1)).toBeNull();
  });

  it('parses an object or an array; values follow the feature order; the topic id wins over the payload', () => {
    const one = parseReadings('{"temp": 20.5, "kw": 3, "building_id": 7}', F, { receivedAt: NOW });
    expect(one.array).toBe(false);
    expect(one.errors).toEqual([]);
    expect(one.readings).toEqual([{ time: NOW, buildingId: '7', values: Float64Array.from([3, 20.5]) }]);
    const many = parseReadings(
      JSON.stringify([
        { kw: 1, temp: 2, timestamp: 1_700_000_000, building_id: 'X' },
        { kw: '4.5', temp: 5 },
      ]),
      F,
      { receivedAt: NOW, buildingId: 'B02' },
    );
    expect(many.array).toBe(true);
    expect(many.readings.map((r) => [r.time, r.buildingId, Array.from(r.values)])).toEqual([
      [1_700_000_000_000, 'B02', [1, 2]],
      [NOW, 'B02', [4.5, 5]],
    ]);
  });

  it('rejects bad readings one by one with the reason, never throwing', () => {
    const r = parseReadings(
      JSON.stringify([
        { kw: 1, temp: 2 },
        { kw: 1 },
        { kw: null, temp: 'hot' },
        5,
        { kw: 1, temp: 2, timestamp: 'soon' },
        { kw: 1, temp: 2, building_id: {} },
      ]),
      F,
      { receivedAt: NOW },
    );
    expect(r.readings).toHaveLength(1);
    expect(r.errors).toEqual([
      'reading 1: "temp" is missing',
      'reading 2: "kw" is missing, "temp" is not a number ("hot")',
      'reading 3: expected a JSON object with the feature fields',
      'reading 4: "timestamp" is neither ISO 8601 nor epoch seconds/ms ("soon")',
      'reading 5: "building_id" must be a string or a number',
    ]);
    expect(parseReadings('{"kw": 1,', F, { receivedAt: NOW }).errors[0]).toMatch(/^not JSON/);
    expect(parseReadings('[]', F, { receivedAt: NOW }).errors).toEqual(['empty array: no readings']);
    expect(parseReadings('{"kw": Infinity}', F, { receivedAt: NOW }).errors[0]).toMatch(/^not JSON/);
  });
});
