import { describe, expect, it } from 'vitest';
import { escapeXml, lineChart, niceTicks, thinPoints } from '../../../src-main/core/report/svg';

describe('report charts (pure SVG)', () => {
  it('niceTicks steps by 1, 2 or 5 × 10^k', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0, 0.37, 4)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(-30, 120, 3)).toEqual([0, 50, 100]);
    expect(niceTicks(5, 5)).toEqual([5]);
  });

  it('thinPoints keeps each bucket’s minimum and maximum, so a spike survives', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => [i, i === 4321 ? 99 : i === 777 ? -5 : 1] as const);
    const thin = thinPoints(points, 100);
    expect(thin.length).toBeLessThanOrEqual(100);
    expect(thin).toContainEqual([4321, 99]);
    expect(thin).toContainEqual([777, -5]);
    // Order is kept: a line through them still runs left to right.
    expect(thin.map((p) => p[0])).toEqual([...thin.map((p) => p[0])].sort((a, b) => a - b));
    expect(thinPoints(points.slice(0, 50), 100)).toHaveLength(50);
  });

  it('escapes user text and draws one path per series, breaking at missing values', () => {
    expect(escapeXml(`<b a="1">&'</b>`)).toBe('&lt;b a=&quot;1&quot;&gt;&amp;&#39;&lt;/b&gt;');
    const svg = lineChart({
      title: 'rate <x>',
      xTime: false,
      yLabel: '%',
      series: [
        {
          name: 'a',
          points: [
            [0, 1],
            [1, Number.NaN],
            [2, 3],
            [3, 4],
          ],
        },
        {
          name: 'b',
          points: [
            [0, 2],
            [3, 2],
          ],
        },
      ],
    });
    expect(svg).toContain('<title>rate &lt;x&gt;</title>');
    const paths = [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);
    expect(paths).toHaveLength(2);
    // Series a: a move, then a new move after the gap, then a line.
    expect(paths[0]!.match(/[ML]/g)).toEqual(['M', 'M', 'L']);
    expect(svg).not.toMatch(/https?:/);
  });

  it('says so when there is nothing to draw', () => {
    expect(lineChart({ title: 't', xTime: true, yLabel: 'y', series: [{ name: 'a', points: [] }] })).toContain('No data in this period.');
  });
});
