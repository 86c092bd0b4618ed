import { describe, expect, it } from 'vitest';
import { scheduleInfo } from '../../../src-main/backend/loop/policy';
import { startWatcher, type WatchTarget } from '../../../src-main/backend/loop/watcher';
import { tempDir } from '../../helpers/backend';

const options = (schedules: { cron: string }[], passes: WatchTarget[], errors: string[]) => ({
  targets: [{ path: tempDir('gl-watcher-schedule-') }],
  schedules,
  settleMs: 10,
  // Longer than the test: only the first pass and the schedule make passes.
  pollMs: 600_000,
  pass: async (t: WatchTarget) => void passes.push(t),
  onError: (_t: WatchTarget | null, e: unknown) => void errors.push((e as Error).message),
});

describe('watcher schedules (croner, loaded when a schedule is given)', () => {
  it('a schedule every second makes passes beyond the first', async () => {
    const passes: WatchTarget[] = [];
    const errors: string[] = [];
    const w = startWatcher(options([{ cron: '* * * * * *' }], passes, errors));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await w.stop();
    expect(errors).toEqual([]);
    expect(passes.length).toBeGreaterThanOrEqual(2);
    const after = passes.length;
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(passes.length).toBe(after);
  });

  it('a bad expression is reported through onError and the folder is still watched', async () => {
    const passes: WatchTarget[] = [];
    const errors: string[] = [];
    const w = startWatcher(options([{ cron: 'every day' }], passes, errors));
    await w.idle();
    await w.stop();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^schedule "every day" is not a valid cron expression: /);
    expect(passes).toHaveLength(1);
  });

  it('scheduleInfo gives the next run in UTC, or the error', async () => {
    const info = await scheduleInfo(
      {
        schedule: [
          { cron: '0 3 * * *', task: 'watch' },
          { cron: 'nope', task: 'retrain' },
        ],
      } as never,
      new Date('2026-03-01T05:00:00Z'),
    );
    expect(info[0]).toEqual({ cron: '0 3 * * *', task: 'watch', nextRun: '2026-03-02T03:00:00.000Z' });
    expect(info[1]!.nextRun).toBeNull();
    expect(info[1]!.error).toBeTruthy();
  });
});
