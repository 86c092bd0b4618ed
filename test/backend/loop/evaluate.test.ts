import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy, readRegistryPolicy } from '../../../src-main/backend/loop/policy';
import { readJobs } from '../../../src-main/core/loop/jobs';
import { rejection, tempDir } from '../../helpers/backend';
import { loopBackend } from './loop-backend';

// Issue 12 items 2 and 3: champion and challenger on the same rows (both model kinds), and the policy file.
let b: ReturnType<typeof loopBackend>;
let dir = '';
let evalId = '';

beforeAll(async () => {
  dir = join(tempDir('gl-evaluate-'), 'reg');
  b = loopBackend(dir);
  const train = (await b.run('data.simulate', { buildings: 3, days: 28, seed: 1, anomalyRate: 0.03, keep: false })).id;
  evalId = (await b.run('data.simulate', { buildings: 3, days: 14, seed: 5, anomalyRate: 0.03, start: '2025-02-03', keep: false })).id;
  await b.run('model.train', { datasetId: train, algorithm: 'isolation-forest', alias: 'production', trees: 50, seed: 1 });
  await b.run('model.train', { datasetId: train, algorithm: 'isolation-forest', trees: 50, seed: 2 });
  await b.run('model.train', { datasetId: train, algorithm: 'contextual' });
});

describe('model.evaluate', () => {
  it('a version against itself: same flags (Jaccard 1), no score shift, a zero F1 difference', async () => {
    const r = await b.run('model.evaluate', { challenger: '1.0.0', data: { datasetId: evalId }, resamples: 50 });
    expect(r.champion.version).toBe('1.0.0');
    expect(r.jaccard).toBe(1);
    expect(r.scoreShift.ks).toBe(0);
    expect(r.delta?.f1).toEqual({ low: 0, high: 0 });
    expect(r.champion.labelled).toEqual(r.challenger.labelled);
    expect(r.data).toMatchObject({ kind: 'dataset', rows: 3 * 24 * 14, labelled: 3 * 24 * 14 });
  });

  it('forest champion vs contextual challenger on the same rows, with labels: P/R/F1/AUC, intervals, recall per fault type', async () => {
    const r = await b.run('model.evaluate', {
      challenger: '1.0.2',
      champion: 'production',
      data: { datasetId: evalId },
      resamples: 100,
      seed: 7,
    });
    expect(r.champion.algorithm).toBe('isolation-forest');
    expect(r.challenger.algorithm).toBe('contextual');
    expect(r.champion.rows).toBe(r.challenger.rows);
    for (const side of [r.champion, r.challenger]) {
      const l = side.labelled!;
      expect(l.ci.f1.low).toBeLessThanOrEqual(l.f1);
      expect(l.ci.f1.high).toBeGreaterThanOrEqual(l.f1);
      expect(l.rocAuc).not.toBeNull();
      expect(Object.keys(l.recallByType).sort()).toEqual(expect.arrayContaining(['hvac_fault']));
      expect(side.latencyP95MsPer1k).toBeGreaterThan(0);
    }
    expect(r.jaccard).toBeGreaterThanOrEqual(0);
    expect(r.jaccard).toBeLessThanOrEqual(1);
    // Seeded: the same call gives the same intervals.
    const again = await b.run('model.evaluate', {
      challenger: '1.0.2',
      data: { datasetId: evalId },
      resamples: 100,
      seed: 7,
      record: false,
    });
    expect(again.delta).toEqual(r.delta);
    expect(again.challenger.labelled!.ci).toEqual(r.challenger.labelled!.ci);
  });

  it('is kept in jobs.ndjson with its figures (what a promotion cites)', async () => {
    const { jobs } = await readJobs(dir);
    const evals = jobs.filter((j) => j.kind === 'evaluate');
    expect(evals.length).toBe(2);
    expect(evals.every((j) => j.status === 'succeeded' && j.evaluation?.id === j.id)).toBe(true);
    expect((await b.run('jobs.history', {})).jobs.map((j) => j.id)).toEqual(jobs.map((j) => j.id));
  });

  it('an unknown champion alias is refused by name', async () => {
    const e = await rejection(b.run('model.evaluate', { challenger: '1.0.1', champion: 'staging', data: { datasetId: evalId } }));
    expect(e.message).toBe('Model energy-anomaly has no alias staging to evaluate against.');
  });
});

describe('policy.json', () => {
  it('the minimal file is a whole policy with every default', () => {
    expect(parsePolicy('{ "retrain": { "onDrift": true }, "promote": { "auto": true } }', 'p.json')).toEqual({
      retrain: { onDrift: true, evaluateDays: 7 },
      promote: {
        auto: true,
        alias: 'production',
        rules: { f1MaxDrop: 0.01, aucMaxDrop: 0, anomalyRateBand: 0.5, latencyMaxIncrease: 0.2, judge: 'interval', rateCloser: true },
      },
      schedule: [],
      folders: [],
    });
  });

  it('a wrong field is named with the file', () => {
    expect(() => parsePolicy('{ "retrain": { "window": 0 } }', '/x/p.json')).toThrow(/^\/x\/p\.json: retrain\.window: Too small/);
    expect(() => parsePolicy('{ "promote": { "autp": true } }', '/x/p.json')).toThrow('/x/p.json: promote: unknown field "autp".');
    expect(() => parsePolicy('{ nope', '/x/p.json')).toThrow(/^\/x\/p\.json is not valid JSON/);
  });

  it('policy.set writes it (atomically) and policy.get reads it back with the schedules next run; a bad cron is refused', async () => {
    expect((await b.run('policy.get', {})).stored).toBe(false);
    const set = await b.run('policy.set', { policy: { promote: { auto: true }, schedule: [{ cron: '0 3 * * *' }] } });
    expect(set.schedules[0]!.nextRun).toMatch(/T03:00:00\.000Z$/);
    const got = await b.run('policy.get', {});
    expect(got.stored).toBe(true);
    expect(got.policy.promote.auto).toBe(true);
    expect((await readRegistryPolicy(dir)).policy).toEqual(got.policy);
    const e = await rejection(b.run('policy.set', { policy: { schedule: [{ cron: 'every day' }] } }));
    expect(e.message).toMatch(/^schedule "every day" is not a valid cron expression/);
    writeFileSync(join(dir, 'policy.json'), '{"retrain": {"window": "a week"}}');
    const bad = await rejection(b.run('policy.get', {}));
    expect(bad.message).toMatch(/policy\.json: retrain\.window: /);
  });
});
