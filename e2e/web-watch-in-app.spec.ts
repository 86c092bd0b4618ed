import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { readWatchState } from '../src-main/core/loop/watch-state';
import { loopBackend } from '../test/backend/loop/loop-backend';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Issue 12 item 5 in the app (web mode, 1024 px): with a watched folder in
 * policy.json, the server's worker catches up on the file that arrived before
 * it started, and a CSV dropped in while the page is open shows up in the job
 * history without a click. Pausing is a stored setting.
 */
let app: Served & { spawnedAt: number };
let root = '';
let inbox = '';

test.use({ viewport: { width: 1024, height: 800 } });

test.beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gl-e2e-watch-in-app-'));
  const registry = join(root, 'registry');
  inbox = join(root, 'inbox');
  const b = loopBackend(registry);
  const base = await b.run('data.simulate', { buildings: 2, days: 14, seed: 1, keep: false, name: 'january' });
  await b.run('model.train', { datasetId: base.id, algorithm: 'isolation-forest', alias: 'production', trees: 20 });
  mkdirSync(inbox);
  for (const [name, seed, start, buildings] of [
    ['early.csv', 2, '2025-01-15', 2],
    ['dropped.csv', 3, '2025-02-01', 2],
    ['big.csv', 4, '2025-02-08', 300],
  ] as const) {
    const ds = await b.run('data.simulate', { buildings, days: 7, seed, start, keep: false, name });
    await b.run('data.exportCsv', { datasetId: ds.id, path: join(root, name) });
  }
  // Arrived while the app was closed: the catch-up pass on start takes it.
  copyFileSync(join(root, 'early.csv'), join(inbox, 'early.csv'));
  writeFileSync(join(registry, 'policy.json'), JSON.stringify({ retrain: { onDrift: false }, folders: [{ path: inbox }] }));
  app = await serve({ registry, allow: [root] });
});
test.afterAll(async () => {
  await app.stop();
});

test('the app watches the policy folder: catch-up on start, a dropped CSV reaches the history without a click; pause is kept', async ({
  page,
}) => {
  // The server's worker catches up before any page is open.
  await expect
    .poll(async () => (await readWatchState(join(root, 'registry'))).folders[inbox]?.['early.csv']?.status, { timeout: 60_000 })
    .toBe('done');
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Automation' }).click();
  const state = page.getByTestId('automation-watching-state');
  await expect(state).toHaveAttribute('data-state', 'watching');
  await expect(state).toContainText('Watching 1 folder in the app');
  const history = page.getByTestId('automation-history');
  await expect(history).toContainText('watch-file · early.csv', { timeout: 60_000 });
  // Dropped while the page is open: no click from here on.
  copyFileSync(join(root, 'dropped.csv'), join(inbox, 'dropped.csv'));
  const row = history.locator('tbody tr', { hasText: 'watch-file · dropped.csv' });
  await expect(row).toContainText('succeeded', { timeout: 60_000 });
  await expect(row).toContainText('336 rows');
  // The catch-up and the drop (fs.watch reports a copy as several changes: the passes after the first find nothing new).
  await expect(page.getByTestId('automation-watching-totals')).toContainText('2 files processed, 0 failed');
  await page.screenshot({ path: `${ARTIFACTS}web-watch-in-app.png` });
  await history.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-watch-in-app-history.png` });

  await page.getByLabel('Pause in-app watching').click();
  await expect(page.getByLabel('Pause in-app watching')).toBeChecked();
  await expect(state).toHaveAttribute('data-state', 'paused');
  await page.reload();
  await page.getByRole('tab', { name: 'Automation' }).click();
  await expect(page.getByLabel('Pause in-app watching')).toBeChecked();
  await expect(page.getByTestId('automation-watching-state')).toHaveAttribute('data-state', 'paused');
});

test('a pass in progress shows in Running with its progress and Cancel; the file ends processed once', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Automation' }).click();
  await page.getByLabel('Pause in-app watching').click();
  await expect(page.getByTestId('automation-watching-state')).toHaveAttribute('data-state', 'watching');
  copyFileSync(join(root, 'big.csv'), join(inbox, 'big.csv'));
  const running = page.getByTestId('automation-running');
  await expect(running.getByRole('progressbar', { name: `Watching ${inbox}` })).toBeVisible({ timeout: 60_000 });
  await expect(running.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}web-watch-in-app-running.png` });
  // The pass may end between the check above and the click (a small file on a fast machine): the button is then gone
  // for good, and waiting for it would only time out. Cancelled or already done: either way the file is finished
  // (resumed by the next pass) and listed once, which the lines below check.
  await running
    .getByRole('button', { name: 'Cancel' })
    .click({ timeout: 5_000 })
    .catch(async (error: unknown) => {
      if (await running.getByRole('button', { name: 'Cancel' }).isVisible()) throw error;
    });
  const rows = page.getByTestId('automation-history').locator('tbody tr', { hasText: 'watch-file · big.csv' });
  await expect(rows).toContainText('succeeded', { timeout: 90_000 });
  await expect(rows).toHaveCount(1);
  await expect(running).toContainText('No job is running.');
});
