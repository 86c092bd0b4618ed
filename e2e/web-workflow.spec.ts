import { expect, test } from '@playwright/test';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * The whole loop a facility analyst runs, through the UI only, on an empty
 * registry: generate, train, score, then a heatwave arrives; the drift tab,
 * the overview's health and the performance charts must all say so.
 */
let app: Served;

test.beforeAll(async () => {
  app = await serve();
});
test.afterAll(async () => {
  await app.stop();
});

test.use({ viewport: { width: 1360, height: 1900 } });

test('web mode: generate, train, score, heatwave → drift flagged, health degraded, charts populated', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);

  // Baseline data, a model, and scored baseline readings.
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Buildings').fill('3');
  await page.getByLabel('Days').fill('28');
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByText('2,016 rows', { exact: false }).first()).toBeVisible();
  const trainPanel = page.getByTestId('train-panel');
  await trainPanel.getByRole('button', { name: 'Train model' }).click();
  await expect(page.getByTestId('train-result').getByTestId('trained-version')).toHaveText('1.0.0');
  const scorePanel = page.getByTestId('score-panel');
  await scorePanel.getByRole('button', { name: 'Score dataset' }).click();
  await expect(page.getByTestId('score-anomalies')).toBeVisible();

  // The heatwave: same buildings and seed, hotter weather.
  await page.getByLabel('Drift scenario').selectOption('heatwave');
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByRole('button', { name: /^sim-3b-28d-seed42-heatwave/ })).toBeVisible();
  await scorePanel.getByRole('button', { name: 'Score dataset' }).click();
  await expect(scorePanel).toContainText('heatwave');
  await page.screenshot({ path: `${ARTIFACTS}web-workflow-scored.png` });

  await page.getByRole('tab', { name: 'Drift' }).click();
  const table = page.getByTestId('drift-table');
  await expect(table.locator('tr', { hasText: 'outdoor_temp_c' })).toContainText('drifted');
  await expect(table.locator('tr', { hasText: 'hvac_kw' })).toContainText('drifted');
  await expect(page.getByTestId('drift-psi-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}web-workflow-drift.png` });

  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.getByTestId('metric-health')).toContainText(/Warning|Critical/);
  await expect(page.getByTestId('health-badge')).toContainText(/warning|critical/);
  await expect(page.getByTestId('metric-predictions')).toContainText('4,032');
  await expect(page.getByTestId('overview-recommendations')).toContainText(/Retrain|Investigate/);
  await expect(page.getByTestId('overview-recommendations')).toContainText('outdoor_temp_c');
  await page.screenshot({ path: `${ARTIFACTS}web-workflow-overview.png` });

  await page.getByRole('tab', { name: 'Performance' }).click();
  // Counts by data time: a line over the readings' hours per series (flat where every hour holds the same count,
  // so its box has no height: counted, not checked for visibility).
  await expect(page.getByTestId('perf-counts-chart').locator('path.recharts-curve')).toHaveCount(2);
  await expect(page.getByTestId('perf-counts-chart').getByText('data time (UTC)')).toBeVisible();
  // Latency by scoring time: both requests fall in one hour here, so each series is a single dot.
  await expect(page.getByTestId('perf-latency-chart').locator('.recharts-line-dot, path.recharts-curve').first()).toBeVisible();
  await expect(page.getByTestId('version-latency-table')).toContainText('1.0.0');
  await page.screenshot({ path: `${ARTIFACTS}web-workflow-performance.png` });
  expect(errors).toEqual([]);
});
