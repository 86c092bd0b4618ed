import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { warmAlertCheck } from '../../src-main/backend/alerts/evaluate';
import { clearHealthCache } from '../../src-main/backend/monitoring/health-cache';
import { modelHealth } from '../../src-main/backend/monitoring/health';
import type { AlertRule } from '../../src-main/contract/shared/alerts';
import { versionReads } from '../helpers/version-reads';
import { buildFixture, logScenario, MODEL, sinkState, type Fixture } from './monitoring-fixture';

const rule = (over: Pick<AlertRule, 'id' | 'kind' | 'threshold'> & Partial<AlertRule>): AlertRule => ({
  enabled: true,
  severity: 'warning',
  minDurationMs: 0,
  cooldownMs: 3_600_000,
  ...over,
});

describe('warmAlertCheck (the alert check after a scoring starts its reads while the log is written)', () => {
  let root: string;
  let fx: Fixture;
  const writeRules = async (rules: AlertRule[] | null): Promise<void> => {
    await mkdir(join(root, 'alerts'), { recursive: true });
    if (rules === null) await rm(join(root, 'alerts', 'rules.json'), { force: true });
    else await writeFile(join(root, 'alerts', 'rules.json'), JSON.stringify({ formatVersion: 1, rules }));
  };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gl-alerts-warm-'));
    fx = await buildFixture(root, { buildings: 4, days: 28, trees: 10 });
    await logScenario(sinkState(root), fx, 'none', { limit: 1_000 });
    return () => rm(root, { recursive: true, force: true });
  });
  afterEach(() => clearHealthCache());

  it('with the default rules (they need the health check) it loads the version and its profile, so the check reads neither', async () => {
    await writeRules(null);
    const state = sinkState(root);
    const warmed = await versionReads(MODEL, () => warmAlertCheck(state, MODEL));
    expect(warmed.some((f) => f.endsWith('version.json'))).toBe(true);
    expect(warmed.some((f) => f.endsWith('reference.json'))).toBe(true);
    expect(await versionReads(MODEL, () => modelHealth(MODEL, state))).toEqual([]);
    expect((await modelHealth(MODEL, state)).version).toBe(fx.version);
  });

  it('loads nothing when no enabled rule needs the health check, or none covers the model', async () => {
    const state = sinkState(root);
    for (const rules of [
      [rule({ id: 'jobs', kind: 'job-failures', threshold: 1, windowMs: 3_600_000 })],
      [rule({ id: 'rate', kind: 'anomaly-rate', threshold: 0.05, enabled: false })],
      [rule({ id: 'rate', kind: 'anomaly-rate', threshold: 0.05, model: 'another-model' })],
    ]) {
      await writeRules(rules);
      clearHealthCache();
      expect(await versionReads(MODEL, () => warmAlertCheck(state, MODEL))).toEqual([]);
      // Nothing was kept: the check reads both files itself.
      const checked = await versionReads(MODEL, () => modelHealth(MODEL, state));
      expect(checked.some((f) => f.endsWith('reference.json'))).toBe(true);
    }
  });

  it('never rejects: damaged rules or a missing registry leave the check to report them', async () => {
    await writeFile(join(root, 'alerts', 'rules.json'), '{ not json');
    await expect(warmAlertCheck(sinkState(root), MODEL)).resolves.toBeUndefined();
    await expect(warmAlertCheck(sinkState(join(root, 'missing')), MODEL)).resolves.toBeUndefined();
    await writeRules(null);
  });
});
