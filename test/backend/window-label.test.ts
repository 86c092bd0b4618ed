import { describe, expect, it } from 'vitest';
import { windowLabel } from '../../src-main/backend/loop/lineage';

describe('windowLabel (the retrain recommendation names its data window)', () => {
  it('formats both ends as UTC days, as toLocaleDateString en-GB did', () => {
    expect(windowLabel(Date.UTC(2024, 1, 3, 23, 59), Date.UTC(2024, 1, 22))).toBe('3 Feb 2024 – 22 Feb 2024');
    const opts = { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' } as const;
    const t = Date.UTC(2025, 11, 31, 23);
    expect(windowLabel(t, t)).toBe(`${new Date(t).toLocaleDateString('en-GB', opts)} – ${new Date(t).toLocaleDateString('en-GB', opts)}`);
  });
});
