import { describe, expect, it, vi } from 'vitest';
import { windowLabel } from '../../src-main/backend/loop/lineage';
import { countDateFormats } from '../helpers/intl-count';

describe('windowLabel (the retrain recommendation names its data window)', () => {
  it('formats both ends as UTC days, as toLocaleDateString en-GB did', () => {
    expect(windowLabel(Date.UTC(2024, 1, 3, 23, 59), Date.UTC(2024, 1, 22))).toBe('3 Feb 2024 – 22 Feb 2024');
    const opts = { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' } as const;
    const t = Date.UTC(2025, 11, 31, 23);
    expect(windowLabel(t, t)).toBe(`${new Date(t).toLocaleDateString('en-GB', opts)} – ${new Date(t).toLocaleDateString('en-GB', opts)}`);
  });

  it('builds its formatter on first use, once, not when the module loads (locale data is ~10 ms of every command start-up)', async () => {
    const formats = countDateFormats();
    try {
      vi.resetModules();
      const fresh = await import('../../src-main/backend/loop/lineage');
      expect(formats.made()).toBe(0);
      expect(fresh.windowLabel(Date.UTC(2026, 5, 1), Date.UTC(2026, 5, 28))).toBe('1 Jun 2026 – 28 Jun 2026');
      expect(fresh.windowLabel(Date.UTC(2026, 0, 9), Date.UTC(2026, 0, 9))).toBe('9 Jan 2026 – 9 Jan 2026');
      expect(formats.made()).toBe(1);
    } finally {
      formats.restore();
    }
  });
});
