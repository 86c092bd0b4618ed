import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCsvAtomic } from '../../../src-main/backend/csv-file';
import { createJobContext } from '../../../src-main/backend/job';
import { writeAlwaysPromote, type KillWorld } from '../../helpers/watch-kills';
import { loopBackend } from './loop-backend';
import { monthRows, simulatedYear, writeMonths } from './year-months';

/** A registry with a January–February production model and an inbox: March (scored), July (drifts: retrain, evaluate, promote), a bad file. */
export async function buildKillWorld(root: string, buildings = 2): Promise<KillWorld> {
  const year = simulatedYear(buildings, 4);
  const base = join(root, 'base');
  const inbox = join(root, 'inbox');
  const winter = join(root, 'winter.csv');
  await writeCsvAtomic(winter, monthRows(year, [1, 2]), createJobContext({ jobId: 'w', op: 'w' }));
  const b = loopBackend(base);
  const ds = await b.run('data.import', { path: winter, keep: false });
  await b.run('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', alias: 'production', trees: 30 });
  await writeMonths(year, inbox, [3, 7]);
  writeFileSync(join(inbox, '2025-05.csv'), 'timestamp,building_id,total_kw\n2025-05-01T00:00:00Z,B01,not-a-number\n');
  const policy = join(root, 'policy.json');
  writeAlwaysPromote(policy);
  return {
    base,
    inbox,
    policy,
    rows: { '2025-03.csv': buildings * 31 * 24, '2025-07.csv': buildings * 31 * 24 },
    failing: ['2025-05.csv'],
    drifted: '2025-07.csv',
  };
}
