import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Issue 11 in the app: the contextual detector is the Train form's default on
 * timestamped readings; Models shows its members, recall per fault type and a
 * per-building table and chart; Performance shows recall per fault type; the
 * Data tab explains a flag by the member and meter that drove it and a likely
 * cause. Screens at 1024 px, the narrowest width the layout must fit.
 */
let app: Served & { spawnedAt: number };
test.use({ viewport: { width: 1024, height: 1800 } });

test.beforeAll(async () => {
  app = await serve();
});
test.afterAll(async () => {
  await app.stop();
});

test('a simulated year trains the contextual detector from the form; Models, Performance and Data show it', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();

  // One year of three buildings (office, school, retail), faults of every type.
  await page.getByLabel('Profile').selectOption('year');
  await expect(page.getByLabel('Drift scenario')).toBeDisabled();
  await page.getByLabel('Years').fill('1');
  await page.getByLabel('Buildings').fill('3');
  await page.getByLabel('Anomaly rate (%)').fill('3');
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByText('26,280 rows', { exact: false }).first()).toBeVisible({ timeout: 60_000 });

  const panel = page.getByTestId('train-panel');
  await expect(panel.getByLabel('Algorithm')).toHaveValue('contextual');
  await expect(panel.getByTestId('algorithm-hint')).toContainText('Baselines each building');
  // The forest's own parameters are not the contextual detector's.
  await expect(panel.getByLabel('Trees')).toHaveCount(0);
  await panel.getByLabel('Stuck sensor after (hours)').fill('6');
  await panel.getByRole('button', { name: 'Train model' }).click();
  const result = page.getByTestId('train-result');
  await expect(result.getByTestId('trained-version')).toHaveText('1.0.0', { timeout: 120_000 });
  await expect(result.getByTestId('trained-contextual')).toContainText('Contextual detector on');
  await expect(result.getByTestId('trained-contextual')).toContainText('recall by fault type: ');
  await page.screenshot({ path: `${ARTIFACTS}web-contextual-trained.png`, fullPage: true });

  // Score and explain the top flagged reading: member, meter and likely cause.
  const scorePanel = page.getByTestId('score-panel');
  await scorePanel.getByRole('button', { name: 'Score dataset' }).click();
  await expect(page.getByTestId('flagged-table').locator('tbody tr').first()).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('flagged-table').locator('tbody tr').first().click();
  const cause = page.getByTestId('explanation-cause');
  await expect(cause).toContainText('Likely cause: ');
  await expect(page.getByTestId('explanation-driver')).toContainText(/Driven by the (residual|sustained|rules|forest) member .* on \S+/);
  await expect(page.getByTestId('explanation-table')).toContainText('Expected');
  await page.getByTestId('explanation-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-contextual-explained.png`, fullPage: true });

  // Models: members with weights, recall per fault type, one row and bar per building.
  await page.getByRole('tab', { name: 'Models' }).click();
  const ctx = page.getByTestId('contextual-panel');
  await expect(ctx).toBeVisible();
  const members = ctx.getByTestId('contextual-members');
  for (const m of ['residual', 'sustained', 'rules', 'forest']) await expect(members).toContainText(m);
  await expect(members.locator('tbody tr')).toHaveCount(4);
  const types = ctx.getByTestId('contextual-type-recall');
  // Recall is shown for the types that occur in the held-out readings (this simulation's holdout has no stuck-sensor run).
  await expect(types).toContainText('on held-out readings');
  for (const t of ['hvac_fault', 'dropout', 'spike']) await expect(types).toContainText(t);
  await expect(ctx.getByTestId('building-table').locator('tbody tr')).toHaveCount(3);
  await expect(ctx.getByTestId('building-table')).toContainText('own');
  await expect(ctx.getByTestId('building-chart').locator('.recharts-bar-rectangle')).toHaveCount(3);
  // The generic metric list leaves the breakdown to those tables.
  await expect(page.getByTestId('version-detail')).not.toContainText('Member residual');
  await ctx.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-contextual-models.png`, fullPage: true });
  // The panel fits 1024 px: nothing scrolls sideways.
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);

  // Performance: recall per fault type of the trained version and of the scoring just done.
  await page.getByRole('tab', { name: 'Performance' }).click();
  const perf = page.getByTestId('performance-type-recall');
  const table = perf.getByTestId('type-recall');
  await expect(table.locator('thead')).toContainText('1.0.0 trained');
  await expect(table.locator('thead')).toContainText('Last scoring');
  // The last scoring covered the whole simulated year, so it has a recall for every type.
  for (const t of ['hvac_fault', 'sensor_stuck', 'dropout', 'spike']) {
    await expect(table.locator('tr', { hasText: t }).locator('td.num').last()).toHaveText(/^\d\.\d\d$/);
  }
  // The trained version's column holds one for the types its holdout had; a type it lacked shows "—".
  await expect(table.locator('tr', { hasText: 'sensor_stuck' }).locator('td.num').first()).toHaveText('—');
  for (const t of ['hvac_fault', 'dropout', 'spike']) {
    // Both columns hold a recall (a number, not "—") for each fault type.
    await expect(
      table
        .locator('tr', { hasText: t })
        .locator('td.num')
        .filter({ hasText: /^\d\.\d\d$/ }),
    ).toHaveCount(2);
  }
  await perf.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-contextual-performance.png`, fullPage: true });

  // Trained on a whole year: drift is judged against the training readings of the same weeks of the year.
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.getByTestId('metric-drift')).toContainText('vs the same weeks of training');
  await page.getByRole('tab', { name: 'Drift' }).click();
  await page.getByRole('button', { name: 'Check drift' }).click();
  await expect(
    page.getByText(/vs the training readings of energy-anomaly 1\.0\.0 from the same weeks of the year \([\d,]+ sampled\)/),
  ).toBeVisible({
    timeout: 30_000,
  });

  // A second version with a longer stuck-sensor rule; the comparison sets recall per fault type and per building side by side.
  await page.getByRole('tab', { name: 'Data' }).click();
  await panel.getByLabel('Stuck sensor after (hours)').fill('12');
  await panel.getByRole('button', { name: 'Train model' }).click();
  await expect(result.getByTestId('trained-version')).toHaveText('1.0.1', { timeout: 120_000 });
  await page.getByRole('tab', { name: 'Models' }).click();
  const row = (v: string) => page.getByTestId('versions-table').locator('tbody tr', { hasText: v });
  await row('1.0.0').getByRole('checkbox').check();
  await row('1.0.1').getByRole('checkbox').check();
  await expect(page.getByTestId('compare-panel')).toContainText('Compare 1.0.0 → 1.0.1');
  const byType = page.getByTestId('compare-type-recall');
  // The types both holdouts had (neither had a stuck-sensor run).
  await expect(byType.locator('tr', { hasText: 'Recall · sensor_stuck' })).toHaveCount(0);
  for (const t of ['hvac_fault', 'dropout', 'spike']) {
    await expect(
      byType
        .locator('tr', { hasText: `Recall · ${t}` })
        .locator('td.num')
        .filter({ hasText: /^\d\.\d{3}$|^1$/ }),
    ).toHaveCount(2);
  }
  await expect(page.getByTestId('compare-buildings')).toContainText('Building B01 · Anomaly rate');
  await expect(page.getByTestId('compare-members')).toContainText('Member residual · ROC AUC');
  await expect(page.getByTestId('compare-params')).toContainText('stuckHours');
  await page.getByTestId('compare-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-contextual-compare.png`, fullPage: true });
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
  expect(errors).toEqual([]);
});

test('data without a timestamp: the contextual choice is disabled and the form says why', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'gl-e2e-no-time-'));
  const csv = join(dir, 'no-time.csv');
  writeFileSync(csv, 'load_kw,temp_c\n' + Array.from({ length: 60 }, (_, i) => `${(i * 7) % 13},${(i * 5) % 11}`).join('\n') + '\n');
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('CSV file to import').setInputFiles(csv);
  const preview = page.getByTestId('import-preview');
  await preview.getByRole('button', { name: 'Import' }).click();
  await expect(preview).toBeHidden();
  const panel = page.getByTestId('train-panel');
  await expect(panel.getByLabel('Algorithm')).toHaveValue('isolation-forest');
  await expect(panel.getByRole('option', { name: /Contextual/ })).toBeDisabled();
  await expect(panel.getByTestId('algorithm-hint')).toContainText('Contextual is unavailable: this dataset has no timestamp column');
  await panel.getByRole('button', { name: 'Train model' }).click();
  await expect(page.getByTestId('train-warning')).toContainText('has no timestamp column');
  await expect(page.getByTestId('train-warning')).toContainText('So an Isolation Forest was trained.');
});
