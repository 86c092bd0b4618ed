import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile, referencePercentiles, resolveVersion } from '../../src-main/backend/model/versions';
import { DEFAULT_ALIAS } from '../../src-main/contract/shared/registry';
import { Registry } from '../../src-main/core/registry';
import { modelToJson } from '../../src-main/core/model';
import { fitIsolationForest } from '../../src-main/core/model/isolation-forest';
import { rejection, tempDir } from '../helpers/backend';
import { FIXTURE_VERSIONS, registerFixtureVersion } from './registry-fixture';

// The backend's one version resolver and one reference-profile loader (score, explain, drift and health use them).
describe('version resolution and reference profiles', () => {
  it('resolves by number or alias; with neither, production before the newest', async () => {
    const registry = await Registry.create(join(tempDir(), 'reg'));
    await registerFixtureVersion(registry, FIXTURE_VERSIONS[0]!, 1);
    await registerFixtureVersion(registry, FIXTURE_VERSIONS[1]!, 2);
    expect((await resolveVersion(registry, 'energy-anomaly')).version).toBe('1.0.1');
    await registry.promote('energy-anomaly', '1.0.0', DEFAULT_ALIAS, { reason: 'baseline' });
    expect((await resolveVersion(registry, 'energy-anomaly')).version).toBe('1.0.0');
    expect((await resolveVersion(registry, 'energy-anomaly', { version: '1.0.1' })).version).toBe('1.0.1');
    expect((await resolveVersion(registry, 'energy-anomaly', { alias: DEFAULT_ALIAS })).version).toBe('1.0.0');
  });

  it('parses a profile once per checksum and derives the training percentiles from it', async () => {
    const registry = await Registry.create(join(tempDir(), 'reg'));
    const meta = await registerFixtureVersion(registry, FIXTURE_VERSIONS[0]!, 1);
    const profile = await loadProfile(registry, meta);
    expect(await loadProfile(registry, meta)).toBe(profile);
    const percentiles = await referencePercentiles(registry, meta);
    const first = profile.features[0]!;
    expect(percentiles[first.name]).toEqual({ p05: first.quantiles!.p05, p50: first.quantiles!.p50, p95: first.quantiles!.p95 });
  });

  it('one message for an unreadable profile, whichever path reads it', async () => {
    const registry = await Registry.create(join(tempDir(), 'reg'));
    const forest = fitIsolationForest([Float64Array.from({ length: 50 }, (_, i) => i)], ['x'], { nTrees: 5, seed: 1 });
    const meta = await registry.registerVersion({
      model: 'broken',
      params: {},
      metrics: {},
      trainingData: { rows: 50, columns: ['x'], sha256: 'a'.repeat(64) },
      tags: [],
      description: '',
      artifact: modelToJson(forest),
      reference: { format: 'not-a-profile' },
    });
    const viaDrift = await rejection(loadProfile(registry, meta));
    const viaExplain = await rejection(referencePercentiles(registry, meta));
    expect(viaDrift.code).toBe('corrupt');
    expect(viaDrift.message).toMatch(/^The reference profile of broken 1\.0\.0 cannot be read: /);
    expect(viaDrift.info.file).toBe(join(registry.dir, 'models', 'broken', 'versions', '1.0.0', meta.reference.file));
    expect(viaDrift.info.hint).toBe('Retrain the version, or run `greenlens registry verify`.');
    expect(viaExplain.info).toEqual(viaDrift.info);
  });
});
