import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { writeCsvAtomic } from '../../../src-main/backend/csv-file';
import { createJobContext } from '../../../src-main/backend/job';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/backend';
import { loopBackend } from './loop-backend';
import { monthRows, simulatedYear, writeMonths } from './year-months';

// With no production alias yet, the version a watch pass scores with and retrains against is the newest one
// trained by hand, never a challenger an earlier pass trained and the policy kept as a candidate.
let root = '';
let reg = '';
let inbox = '';

beforeAll(async () => {
  root = tempDir('gl-watch-no-alias-');
  reg = join(root, 'reg');
  inbox = join(root, 'inbox');
  const year = simulatedYear(4, 3);
  const winter = join(root, 'winter.csv');
  await writeCsvAtomic(winter, monthRows(year, [1, 2]), createJobContext({ jobId: 'w', op: 'w' }));
  const b = loopBackend(reg);
  const ds = await b.run('data.import', { path: winter, keep: false });
  // No alias: 1.0.0 is not promoted.
  await b.run('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', trees: 50 });
  await writeMonths(year, inbox, [3, 7]);
  // Challengers are trained and evaluated, never promoted.
  writeFileSync(join(root, 'policy.json'), '{ "retrain": { "onDrift": true }, "promote": { "auto": false } }');
});

it('a kept challenger does not become the champion of the next file', () => {
  const r = runCli([
    'watch',
    '--registry',
    reg,
    '--folder',
    inbox,
    '--policy',
    join(root, 'policy.json'),
    '--once',
    '--json',
    '--settle',
    '0',
  ]);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { processed: { file: string; actions: { type: string; version: string; reason: string }[] }[] };
  const retrains = out.processed.flatMap((p) => p.actions.filter((a) => a.type === 'retrain'));
  expect(retrains.length).toBeGreaterThanOrEqual(2);
  // Every retrain is against the hand-trained 1.0.0, each challenger a new candidate.
  for (const a of retrains) expect(a.reason).toContain('against 1.0.0');
  expect(new Set(retrains.map((a) => a.version)).size).toBe(retrains.length);
});
