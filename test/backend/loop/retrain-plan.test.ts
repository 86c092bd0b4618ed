import { describe, expect, it } from 'vitest';
import { PolicySchema } from '../../../src-main/contract/ops/loop';
import type { VersionMeta } from '../../../src-main/contract/shared/registry';
import { retrainPlan } from '../../../src-main/backend/loop/watch';

// Where a drift retrain learns and where it is judged, with known answers (UTC ms).
const DAY = 86_400_000;
const june = { fromMs: Date.UTC(2025, 5, 1), toMs: Date.UTC(2025, 5, 30, 23) };
const meta = (algorithm: string) => ({ params: { algorithm } }) as unknown as VersionMeta;
const policy = (retrain: object) => PolicySchema.parse({ retrain });

describe('retrainPlan', () => {
  it('evaluates on the newest 7 days and trains on the window before them, never on an evaluated reading', () => {
    const plan = retrainPlan(june, policy({}), meta('isolation-forest'));
    const evalFrom = june.toMs - 7 * DAY;
    expect(plan.evaluate).toEqual({ fromMs: evalFrom, toMs: june.toMs });
    // The forest's default window: 28 days, ending 1 ms before the evaluation set.
    expect(plan.train).toEqual({ fromMs: evalFrom - 1 - 28 * DAY, toMs: evalFrom - 1 });
  });

  it('the contextual detector: a year by default; a shorter window is raised to the 29 days its own baselines need', () => {
    const evalTo = june.toMs - 7 * DAY - 1;
    expect(retrainPlan(june, policy({}), meta('contextual')).train).toEqual({ fromMs: evalTo - 365 * DAY, toMs: evalTo });
    expect(retrainPlan(june, policy({ window: 28 }), meta('contextual')).train).toEqual({ fromMs: evalTo - 29 * DAY, toMs: evalTo });
    expect(retrainPlan(june, policy({ window: 60 }), meta('contextual')).train).toEqual({ fromMs: evalTo - 60 * DAY, toMs: evalTo });
  });

  it('evaluateDays 0, or a file shorter than twice them, is evaluated whole (the window then ends at its last reading)', () => {
    expect(retrainPlan(june, policy({ evaluateDays: 0 }), meta('isolation-forest'))).toEqual({
      train: { fromMs: june.toMs - 28 * DAY, toMs: june.toMs },
      evaluate: null,
    });
    const tenDays = { fromMs: june.fromMs, toMs: june.fromMs + 10 * DAY };
    expect(retrainPlan(tenDays, policy({}), meta('isolation-forest')).evaluate).toBeNull();
  });
});
