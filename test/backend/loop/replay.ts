import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WatchedFile } from '../../../src-main/contract/shared/loop';
import { writeCsvAtomic } from '../../../src-main/backend/csv-file';
import { createJobContext } from '../../../src-main/backend/job';
import { loopBackend } from './loop-backend';
import { monthRows, simulatedYear } from './year-months';

/**
 * The replay of issue 12: a production model trained on January–February of a
 * simulated year, then March … December dropped into a watched folder one file
 * at a time, one watch pass after each. Returns, per month, what production
 * flagged when the file arrived (the anomaly rate a user sees) and what the
 * pass did. Run once with the policy and once with retraining off.
 */
export interface ReplayMonth {
  month: number;
  rows: number;
  anomalyRate: number;
  /** The version that scored it. */
  production: string;
  datasetDrift: boolean;
  actions: WatchedFile['actions'];
}

export async function replayYear(
  root: string,
  opts: {
    buildings: number;
    seed: number;
    policy: object;
    months?: number[];
    algorithm?: 'isolation-forest' | 'contextual';
    /** Keep the winter dataset in the registry, as the app's import does (default false: as `greenlens train` reads its file). */
    keep?: boolean;
  },
): Promise<ReplayMonth[]> {
  const year = simulatedYear(opts.buildings, opts.seed);
  const ctx = createJobContext({ jobId: 'replay', op: 'replay' });
  mkdirSync(root, { recursive: true });
  const winter = join(root, 'winter.csv');
  await writeCsvAtomic(winter, monthRows(year, [1, 2]), ctx);
  const b = loopBackend(join(root, 'reg'));
  const ds = await b.run('data.import', { path: winter, keep: opts.keep ?? false });
  // No algorithm named: the default (the contextual detector on this timestamped data), as a user's first train would pick.
  await b.run('model.train', { datasetId: ds.id, alias: 'production', ...(opts.algorithm ? { algorithm: opts.algorithm } : {}) });
  const policy = join(root, 'policy.json');
  writeFileSync(policy, JSON.stringify(opts.policy));
  const inbox = join(root, 'inbox');
  mkdirSync(inbox);
  const out: ReplayMonth[] = [];
  for (const m of opts.months ?? [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
    const production = (await b.run('versions.list', {})).aliases.production ?? '';
    await writeCsvAtomic(join(inbox, `2025-${String(m).padStart(2, '0')}.csv`), monthRows(year, [m]), ctx);
    const r = await b.run('watch.run', { folder: inbox, policyPath: policy, settleMs: 0 });
    const f = r.processed[0];
    if (!f || r.processed.length !== 1) throw new Error(`month ${m}: ${JSON.stringify(r)}`);
    out.push({
      month: m,
      rows: f.rows,
      anomalyRate: f.anomalies / f.rows,
      production,
      datasetDrift: f.drift.datasetDrift,
      actions: f.actions,
    });
  }
  return out;
}
