import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Issue 9.16/9.17: the UI follows what happens elsewhere and says what is
 * going on. A CLI train or score on the open registry shows up without
 * switching tabs; a stopped server shows "disconnected", not zeros; a score
 * is not shown beside another dataset; an error banner goes when the same
 * action succeeds; Cancel says it is cancelling.
 */
const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));

function greenlens(app: Served, ...args: string[]): string {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GREENLENS_CONFIG_DIR: join(app.dataDir, 'cli-config'), GREENLENS_DATA_DIR: app.dataDir },
  });
  if (r.status !== 0) throw new Error(`greenlens ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

async function generate(page: Page, buildings: string, days: string): Promise<void> {
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Buildings').fill(buildings);
  await page.getByLabel('Days').fill(days);
  await page.getByRole('button', { name: 'Generate data' }).click();
}

test.describe('the UI follows changes made elsewhere', () => {
  let app: Served;
  test.beforeAll(async () => {
    app = await serve();
  });
  test.afterAll(async () => {
    await app.stop();
  });

  test('a CLI train and score on the open registry appear without switching tabs', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(app.url);
    await expect(page.getByTestId('active-model')).toContainText('No model trained yet');
    const csv = join(app.dataDir, 'week.csv');
    greenlens(app, 'simulate', '--out', csv, '--buildings', '3', '--days', '7', '--seed', '5');
    greenlens(app, 'train', '--registry', app.registry, '--data', csv);
    // The Overview tab stays open: the header picks up the new model by itself.
    await expect(page.getByTestId('active-model')).toContainText('energy-anomaly', { timeout: 15_000 });
    await expect(page.getByTestId('active-model')).toContainText('1.0.0');
    greenlens(app, 'score', '--registry', app.registry, '--data', csv);
    await expect(page.getByTestId('metric-predictions')).toContainText('504', { timeout: 15_000 });
    await page.screenshot({ path: `${ARTIFACTS}web-follows-cli.png` });
  });

  test('a score is not shown beside a different dataset; an error banner clears when the action succeeds', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(app.url);
    await generate(page, '2', '7');
    await expect(page.getByRole('button', { name: /^sim-2b-7d/ })).toBeVisible();
    await page.getByTestId('score-panel').getByRole('button', { name: 'Score dataset' }).click();
    await expect(page.getByTestId('score-anomalies')).toBeVisible();
    await generate(page, '2', '8');
    await page.getByRole('button', { name: /^sim-2b-8d/ }).click();
    await expect(page.getByTestId('score-anomalies')).toHaveCount(0);

    const file = page.getByLabel('CSV file to import');
    await file.setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('') });
    const banner = page.getByRole('alert').filter({ hasText: 'Reading the CSV failed' });
    await expect(banner).toBeVisible();
    await file.setInputFiles({
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('timestamp,kw\n2026-01-01T00:00:00Z,1.5\n2026-01-01T01:00:00Z,1.7\n'),
    });
    await expect(page.getByText('good', { exact: false }).first()).toBeVisible();
    await expect(banner).toHaveCount(0);
  });

  test('Cancel says it is cancelling, then the job goes', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(app.url);
    await generate(page, '200', '3650');
    const job = page.getByTestId('job-progress');
    await expect(job).toBeVisible();
    await expect(job.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^[1-9]/);
    // The worker stops within milliseconds, which can be before the next
    // paint: holding the cancel request makes the in-between state observable.
    let release = (): void => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/cancel', async (route) => {
      await held;
      await route.continue();
    });
    await job.getByRole('button', { name: 'Cancel' }).click();
    await expect(job.getByRole('button', { name: 'Cancelling…' })).toBeDisabled({ timeout: 2_000 });
    release();
    await expect(job).toHaveCount(0);
  });
});

test('a stopped web server shows "disconnected", keeps the last figures, and recovers nothing false', async ({ page }) => {
  test.setTimeout(120_000);
  const app = await serve();
  try {
    const csv = join(app.dataDir, 'week.csv');
    greenlens(app, 'simulate', '--out', csv, '--buildings', '3', '--days', '7', '--seed', '5');
    greenlens(app, 'train', '--registry', app.registry, '--data', csv);
    greenlens(app, 'score', '--registry', app.registry, '--data', csv);
    await page.goto(app.url);
    await expect(page.getByTestId('metric-predictions')).toContainText('504');
    await app.stop();
    await expect(page.getByTestId('connection-status')).toHaveText('Disconnected — reconnecting…', { timeout: 15_000 });
    // Views refetch when tabs change: with nobody answering they keep the last figures instead of falling to zero.
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect(page.getByTestId('metric-predictions')).toContainText('504');
    await expect(page.getByTestId('metric-predictions')).not.toContainText(/^Predictions\s*0/);
    // The header says it once; failed refreshes do not pile up banners.
    await expect(page.getByRole('alert').filter({ hasText: 'did not answer' })).toHaveCount(0);
    await page.screenshot({ path: `${ARTIFACTS}web-disconnected.png` });
  } finally {
    await app.stop();
  }
});
