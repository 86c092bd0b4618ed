import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { writeCsvAtomic } from '../../../src-main/backend/csv-file';
import { createJobContext } from '../../../src-main/backend/job';
import { tempDir } from '../../helpers/backend';
import { cliArgv } from '../../helpers/cli';
import { loopBackend } from './loop-backend';
import { monthRows, simulatedYear } from './year-months';

// Without --once, watch keeps running: a pass at start, then one when a file lands in the folder; SIGTERM ends it cleanly.
it('greenlens watch (continuous) processes a file dropped in after it started, one JSON line per pass', async () => {
  const root = tempDir('gl-watch-cont-');
  const year = simulatedYear(2, 8);
  const ctx = createJobContext({ jobId: 'c', op: 'c' });
  await writeCsvAtomic(join(root, 'winter.csv'), monthRows(year, [1]), ctx);
  await writeCsvAtomic(join(root, 'march.csv'), monthRows(year, [3]), ctx);
  const b = loopBackend(join(root, 'reg'));
  const ds = await b.run('data.import', { path: join(root, 'winter.csv'), keep: false });
  await b.run('model.train', { datasetId: ds.id, algorithm: 'isolation-forest', alias: 'production', trees: 20 });
  const inbox = join(root, 'inbox');
  mkdirSync(inbox);
  const child = spawn(process.execPath, [
    ...cliArgv(),
    'watch',
    '--registry',
    join(root, 'reg'),
    '--folder',
    inbox,
    '--json',
    '--settle',
    '300',
  ]);
  const lines = createInterface({ input: child.stdout });
  const passes: { processed: { file: string; rows: number }[] }[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const processed = new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      passes.push(JSON.parse(line) as (typeof passes)[number]);
      if (passes.length === 1) copyFileSync(join(root, 'march.csv'), join(inbox, '2025-03.csv'));
      if (passes.some((p) => p.processed.length > 0)) resolve();
    });
  });
  await processed;
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(passes[0]!.processed).toEqual([]);
  expect(passes.flatMap((p) => p.processed).map((p) => [p.file, p.rows])).toEqual([[join(inbox, '2025-03.csv'), 2 * 31 * 24]]);
}, 300_000);
