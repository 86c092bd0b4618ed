import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { logPredictions } from '../../src-main/backend/prediction-sink';
import { Registry } from '../../src-main/core/registry';
import { buildFixture, FEATURES, MODEL, sinkState } from '../backend/monitoring-fixture';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

/**
 * Monitoring follows the models that exist, not the name `energy-anomaly`:
 * an empty registry has no model yet (never "healthy"), a registry with one
 * model needs no --model, and with several `health` reports each.
 */
let dir: string;
let single: string;
let several: string;
let empty: string;
const env = (): Record<string, string> => ({ GREENLENS_CONFIG_DIR: join(dir, 'config'), GREENLENS_DATA_DIR: dir });

/** Registers energy-anomaly's fixture version as `name` in `target`. */
async function copyModel(from: Registry, target: string, name: string): Promise<void> {
  const meta = await from.getVersion(MODEL, '1.0.0');
  const to = await Registry.openOrCreate(target);
  await to.registerVersion({
    model: name,
    params: meta.params,
    metrics: meta.metrics,
    trainingData: meta.trainingData,
    artifact: await from.loadArtifact(MODEL, '1.0.0'),
    reference: JSON.parse((await from.loadReference(MODEL, '1.0.0')).toString('utf8')),
  });
}

/** 300 readings of `model` all flagged: an anomaly rate far above 2× the threshold, so critical. */
async function logAllFlagged(registry: string, model: string): Promise<void> {
  const n = 300;
  await logPredictions(sinkState(registry), {
    model,
    version: '1.0.0',
    features: FEATURES,
    requestId: `${model}-flagged`,
    time: Date.now() - 60_000,
    latencyMs: 3,
    scores: new Float64Array(n).fill(0.9),
    flags: new Uint8Array(n).fill(1),
    values: FEATURES.map(() => new Float64Array(n).fill(1)),
  });
}

beforeAll(async () => {
  dir = tempDir('gl-cli-health-models-');
  several = join(dir, 'several');
  await buildFixture(several, { buildings: 2, days: 14 });
  const base = await Registry.open(several);
  single = join(dir, 'single');
  await copyModel(base, single, 'chiller-v2');
  await copyModel(base, several, 'chiller-v2');
  await logAllFlagged(several, 'chiller-v2');
  empty = join(dir, 'empty');
  mkdirSync(empty);
  await Registry.create(join(empty, 'reg'));
});

describe('monitoring follows the registry’s models', () => {
  it('an empty registry is "no model yet", never healthy', () => {
    const r = runCli(['health', '--registry', join(empty, 'reg'), '--json'], env());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'no-model', version: null });
    const human = runCli(['health', '--registry', join(empty, 'reg')], env());
    expect(human.stdout.split('\n')[0]).toBe('– NO MODEL YET  energy-anomaly');
    expect(human.stdout).not.toMatch(/HEALTHY/);
  });

  it('one model needs no --model: health and versions list follow chiller-v2', () => {
    const h = JSON.parse(runCli(['health', '--registry', single, '--json'], env()).stdout);
    expect(h).toMatchObject({ model: 'chiller-v2', version: '1.0.0' });
    const list = JSON.parse(runCli(['versions', 'list', '--registry', single, '--json'], env()).stdout);
    expect(list).toMatchObject({ model: 'chiller-v2' });
    expect(list.versions.map((v: { version: string }) => v.version)).toEqual(['1.0.0']);
  });

  it('with several models health reports each and exits 4 when one is critical; versions list lists all', () => {
    const r = runCli(['health', '--registry', several, '--json'], env());
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout) as { status: string; models: Array<{ model: string; status: string }> };
    expect(out.status).toBe('critical');
    expect(out.models.map((m) => m.model)).toEqual(['chiller-v2', 'energy-anomaly']);
    expect(out.models[0]!.status).toBe('critical');
    const human = runCli(['health', '--registry', several], env());
    expect(human.code).toBe(4);
    expect(human.stdout).toMatch(/^✖ CRITICAL {2}chiller-v2 1\.0\.0/m);
    expect(human.stdout).toMatch(/ {2}energy-anomaly 1\.0\.0/);

    const list = JSON.parse(runCli(['versions', 'list', '--registry', several, '--json'], env()).stdout);
    expect(list.models.map((m: { model: string }) => m.model)).toEqual(['chiller-v2', 'energy-anomaly']);
    const text = runCli(['versions', 'list', '--registry', several], env()).stdout;
    expect(text).toContain('chiller-v2');
    expect(text).toContain('energy-anomaly');

    const unknown = runCli(['health', '--registry', several, '--model', 'boiler'], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('The registry has no model boiler (models: chiller-v2, energy-anomaly).');
  });
});
