import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelHealth } from '../../src-main/backend/monitoring/health';
import { countDateFormats } from '../helpers/intl-count';
import { buildFixture, logScenario, MODEL, sinkState } from './monitoring-fixture';

// Counts the date formatters built (the only locale data a scoring request's health check could need).
let formats: ReturnType<typeof countDateFormats>;

let root = '';
beforeAll(async () => {
  formats = countDateFormats();
  root = await mkdtemp(join(tmpdir(), 'gl-health-label-'));
  const fx = await buildFixture(root, { buildings: 4, days: 28, trees: 10 });
  await logScenario(sinkState(root), fx, 'heatwave');
});
afterAll(async () => {
  formats.restore();
  await rm(root, { recursive: true, force: true });
});

describe('the retrain action of a drifted health check', () => {
  it('formats its label when read, not in every health check (the alert check after each scoring never reads it)', async () => {
    const h = await modelHealth(MODEL, sinkState(root));
    expect(h.drift?.driftedFeatures).toEqual(expect.arrayContaining(['outdoor_temp_c']));
    const action = h.actions?.[0];
    expect(action?.type).toBe('retrain');
    expect(formats.made()).toBe(0);
    const opts = { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' } as const;
    const day = (t: number): string => new Date(t).toLocaleDateString('en-GB', opts);
    expect(action!.label).toBe(`Retrain on ${day(action!.fromMs)} – ${day(action!.toMs)} readings`);
    expect(formats.made()).toBe(1);
    // Kept once read; serialised in its place, as the app and `greenlens health --json` receive it.
    expect(action!.label).toBe(action!.label);
    expect(formats.made()).toBe(1);
    expect(Object.keys(JSON.parse(JSON.stringify(action)) as object)).toEqual([
      'type',
      'label',
      'model',
      'parent',
      'trigger',
      'fromMs',
      'toMs',
      'reason',
    ]);
  });
});
