import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadAnyArtifact } from '../../../../src-main/core/model/any-artifact';
import { scoreContextual } from '../../../../src-main/core/model/contextual/detector';
import { contextualArtifactToJson } from '../../../../src-main/core/model/contextual/serialize';

const HOUR = 3_600_000;

/**
 * A contextual model file written by the GreenLens of November 2026 (before
 * day typing's changes): one office-like building, five weeks of training.
 * Files already in registries must keep loading and scoring.
 */
describe('a contextual model file from an earlier GreenLens', () => {
  const text = readFileSync(new URL('../../../fixtures/contextual-model-2026-11.json', import.meta.url), 'utf8');

  it('loads, writes back byte for byte, and scores: a week like its training is quiet, a dropout is flagged', () => {
    const loaded = loadAnyArtifact(text);
    if (loaded.kind !== 'contextual') throw new Error('expected a contextual artifact');
    expect(loaded.model.meters).toEqual(['load_kw']);
    expect(loaded.model.buildings.map((b) => [b.id, b.meters !== null])).toEqual([['B1', true]]);
    expect(contextualArtifactToJson(loaded)).toBe(text);

    const start = Date.UTC(2025, 0, 6) + 5 * 168 * HOUR;
    const n = 168;
    const time = Float64Array.from({ length: n }, (_, h) => start + h * HOUR);
    const temp = Float64Array.from({ length: n }, (_, h) => Math.round((10 + 5 * Math.sin((2 * Math.PI * h) / 24)) * 10) / 10);
    const load = Float64Array.from(time, (t, h) => {
      const d = new Date(t);
      const open = d.getUTCDay() >= 1 && d.getUTCDay() <= 5 && d.getUTCHours() >= 8 && d.getUTCHours() < 18;
      return (open ? 50 : 12) + 1.2 * Math.max(0, 15 - temp[h]!);
    });
    const drop = 24 + 11; // Tuesday 11:00
    load[drop] = 0;
    const s = scoreContextual(loaded.model, {
      time,
      groups: { codes: new Int32Array(n), dictionary: ['B1'] },
      temperature: temp,
      meters: [load],
      stuckColumns: [temp],
    });
    expect(s.flags[drop]).toBe(1);
    let flagged = 0;
    for (const f of s.flags) flagged += f;
    expect(flagged).toBeLessThan(5);
  });
});
