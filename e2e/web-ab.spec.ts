import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildFixtureRegistry } from '../test/backend/registry-fixture';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * A/B in the app at 1024 px (issue 12 item 4): start an A/B run of a version
 * on the Models tab, score a dataset on the Data tab (which scores
 * production), and read the report with both arms, its verdict and the
 * anomaly rate per arm; promote from the result, then stop the run.
 */
let app: Served;

test.beforeAll(async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'gl-e2e-ab-')), 'site-ab');
  const registry = await buildFixtureRegistry(dir);
  await registry.promote('energy-anomaly', '1.0.1', 'production', { reason: 'first production', user: 'e2e' });
  app = await serve({ registry: dir });
});
test.afterAll(async () => {
  await app.stop();
});

test.use({ viewport: { width: 1024, height: 1400 } });

const row = (page: Page, version: string) => page.getByTestId('versions-table').locator('tbody tr', { hasText: version });

test('web mode: an A/B run started on Models splits what the Data tab scores, and the report shows both arms', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);

  await page.getByRole('tab', { name: 'Models' }).click();
  await row(page, '1.0.2').click();
  const panel = page.getByTestId('ab-panel');
  await panel.getByLabel('Challenger share (%)').fill('50');
  await panel.getByLabel('Split by').selectOption('building');
  await panel.getByRole('button', { name: 'Start A/B of 1.0.2' }).click();
  await expect(panel.getByTestId('ab-active')).toHaveText('A/B running: 1.0.2 decides 50% of readings by building, 1.0.1 the rest.');

  // The Data tab scores production: the run decides which version answers each building.
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Buildings').fill('8');
  await page.getByLabel('Days').fill('7');
  await page.getByLabel('Anomaly rate (%)').fill('5');
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByText('1,344 rows', { exact: false }).first()).toBeVisible();
  const scorePanel = page.getByTestId('score-panel');
  await scorePanel.getByRole('button', { name: 'Score dataset' }).click();
  await expect(page.getByTestId('score-anomalies')).toBeVisible();
  await expect(scorePanel).toContainText(/A\/B: 1\.0\.2 decided [\d,]+ readings/);

  await page.getByRole('tab', { name: 'Models' }).click();
  const arms = panel.getByTestId('ab-arms');
  await expect(arms.locator('tbody tr')).toHaveCount(2);
  const champion = arms.locator('tbody tr', { hasText: 'Champion' });
  const challenger = arms.locator('tbody tr', { hasText: 'Challenger' });
  await expect(champion).toContainText('1.0.1');
  await expect(challenger).toContainText('1.0.2');
  const readings = async (r: typeof champion): Promise<number> => Number((await r.locator('td').nth(2).textContent())!.replace(/,/g, ''));
  const [a, b] = [await readings(champion), await readings(challenger)];
  expect(a).toBeGreaterThan(0);
  expect(b).toBeGreaterThan(0);
  expect(a + b).toBe(1344);
  await expect(panel.getByTestId('ab-verdict')).toHaveText(
    /^(✔ The anomaly rates differ|… No difference in anomaly rate shown at 0\.05|… Sample too small to decide)/,
  );
  await expect(panel.getByTestId('ab-chart')).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-ab-report.png`, fullPage: true });

  // Stopped, the run's report stays; promotion from it goes through the usual dialog, its reason citing the run.
  await panel.getByRole('button', { name: 'Stop run' }).click();
  await expect(panel.getByRole('button', { name: 'Start A/B of 1.0.2' })).toBeVisible();
  await expect(panel).toContainText('Last run · A/B of 1.0.2');
  await panel.getByRole('button', { name: 'Promote 1.0.2…' }).click();
  const dialog = page.getByTestId('promote-dialog').last();
  await expect(dialog.getByLabel('Reason')).toHaveValue(/^A\/B run [0-9a-f]{8}: /);
  await dialog.getByRole('button', { name: 'Promote' }).click();
  await expect(row(page, '1.0.2').getByTestId('alias-production')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Promote 1.0.2…' })).toBeHidden();
  expect(errors).toEqual([]);
});
