import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { startTestWorker, tempDir } from '../helpers/backend';

/** A registry without any model version must survive export → import: a new user's first backup is often of one. */

let hosts: WorkerHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

function start(registry: string): WorkerHost {
  const host = startTestWorker(registry);
  hosts.push(host);
  return host;
}

describe('export and import of a registry with no versions', () => {
  it('an empty registry round-trips', async () => {
    const dir = tempDir('gl-archive-empty-');
    const host = start(join(dir, 'registry'));
    await host.call('registry.info', {});
    const exported = await host.call('registry.export', { archive: join(dir, 'empty.greenlens') });
    const imported = await host.call('registry.import', { archive: exported.archive, target: join(dir, 'imported') });
    expect(imported.verify.ok).toBe(true);
    expect((await host.call('registry.info', {})).models).toEqual([]);
  });

  it('one with only a dataset, alert rules and a policy round-trips with all three', async () => {
    const dir = tempDir('gl-archive-nomodel-');
    const host = start(join(dir, 'registry'));
    const ds = await host.call('data.simulate', { buildings: 1, days: 2, name: 'kept' });
    const rules = {
      formatVersion: 1 as const,
      rules: [
        {
          id: 'rate',
          kind: 'anomaly-rate' as const,
          enabled: true,
          severity: 'critical' as const,
          threshold: 0.2,
          minDurationMs: 0,
          cooldownMs: 60_000,
        },
      ],
    };
    await host.call('alerts.saveRules', rules);
    await host.call('policy.set', { policy: { retrain: { onDrift: false, window: 14 }, promote: { auto: true } } });

    const exported = await host.call('registry.export', { archive: join(dir, 'nomodel.greenlens') });
    const target = join(dir, 'imported');
    const imported = await host.call('registry.import', { archive: exported.archive, target });
    expect(imported.verify.ok).toBe(true);
    expect(readdirSync(target).sort()).toEqual(['alerts', 'datasets', 'greenlens-registry.json', 'models', 'policy.json']);

    // The worker now has the imported copy open.
    expect((await host.call('registry.info', {})).path).toBe(target);
    expect((await host.call('data.list', {})).datasets.map((d) => [d.id, d.name, d.rows])).toEqual([[ds.id, 'kept', 48]]);
    expect((await host.call('alerts.rules', {})).rules).toEqual(rules.rules);
    const policy = await host.call('policy.get', {});
    expect(policy.stored).toBe(true);
    expect(policy.policy.retrain).toMatchObject({ onDrift: false, window: 14 });
    expect(policy.policy.promote.auto).toBe(true);
  });
});
