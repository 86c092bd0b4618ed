import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, serve, type Served } from './serve';

let app: Served & { spawnedAt: number };
// Tall enough that the whole Data tab (its own scroll area) is in the screenshots.
test.use({ viewport: { width: 1360, height: 2600 } });
const SAMPLE = fileURLToPath(new URL('../resources/sample-building-energy.csv', import.meta.url));

test.beforeAll(async () => {
  app = await serve();
});
test.afterAll(async () => {
  await app.stop();
});

test('web mode: import a CSV, generate data, train, score, explain a flagged reading', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByText('Nothing to train on')).toBeVisible();

  // Import the sample CSV through the web upload, with one role changed in the preview.
  await page.getByLabel('CSV file to import').setInputFiles(SAMPLE);
  const preview = page.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  await expect(page.getByLabel('Role of timestamp')).toHaveValue('timestamp');
  await expect(page.getByLabel('Role of building_id')).toHaveValue('id');
  await expect(page.getByLabel('Role of is_anomaly')).toHaveValue('label');
  await expect(page.getByLabel('Role of total_kw')).toHaveValue('feature');
  await preview.getByRole('checkbox', { name: 'occupancy' }).uncheck();
  await expect(page.getByLabel('Role of occupancy')).toHaveValue('ignored');
  await page.screenshot({ path: `${ARTIFACTS}web-train-import-preview.png`, fullPage: true });
  await preview.getByRole('button', { name: 'Import' }).click();
  await expect(preview).toBeHidden();
  await expect(page.getByRole('button', { name: /sample-building-energy\s+672 rows · imported/ })).toBeVisible();
  await expect(page.getByTestId('summary-table')).toContainText('occupancy');

  // Generate a bigger dataset and train on it.
  await page.getByLabel('Buildings').fill('3');
  await page.getByLabel('Days').fill('28');
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByText('2,016 rows', { exact: false }).first()).toBeVisible();
  await expect(page.getByText('No model to score with')).toBeVisible();

  const trainPanel = page.getByTestId('train-panel');
  // The forest's own parameters: contextual is the default on timestamped data.
  await trainPanel.getByLabel('Algorithm').selectOption('isolation-forest');
  // The generated data has building_id, so per-building normalisation is on by default.
  await expect(trainPanel.getByLabel(/Normalise per building \(id column building_id\)/)).toBeChecked();
  await trainPanel.getByLabel('Trees').fill('150');
  await trainPanel.getByLabel('Contamination').selectOption('fraction');
  await trainPanel.getByLabel('Expected anomalies (%)').fill('1.5');
  await trainPanel.getByRole('button', { name: 'Train model' }).click();
  const result = page.getByTestId('train-result');
  await expect(result.getByTestId('trained-version')).toHaveText('1.0.0');
  await expect(result).toContainText('Anomaly rate (training)');
  await expect(result).toContainText('ROC AUC');
  await expect(result.getByLabel('F1')).not.toContainText('—');
  await expect(result.getByTestId('trained-normalize')).toHaveText('normalised per building_id');
  await page.screenshot({ path: `${ARTIFACTS}web-train-result.png`, fullPage: true });

  // Promote with a reason; the card then says production.
  await result.getByLabel('Reason for promoting').fill('First model, looks sane on the holdout');
  await result.getByRole('button', { name: 'Promote to production' }).click();
  await expect(result.getByLabel('Registered version')).toContainText('production');

  // Score: anomalies marked on the chart and listed.
  const scorePanel = page.getByTestId('score-panel');
  await expect(scorePanel.getByLabel('Model version')).toContainText('1.0.0 (production)');
  await scorePanel.getByRole('button', { name: 'Score dataset' }).click();
  const anomalies = page.getByTestId('score-anomalies');
  await expect(anomalies).not.toHaveText('');
  expect(Number((await anomalies.innerText()).replace(/,/g, ''))).toBeGreaterThan(0);
  const chart = page.getByTestId('score-chart');
  await expect(chart.locator('path.recharts-curve')).toHaveCount(3);
  const markers = chart.locator('.recharts-scatter-symbol');
  expect(await markers.count()).toBeGreaterThan(0);
  await expect(page.getByTestId('flagged-table').locator('tbody tr').first()).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}web-train-scored.png`, fullPage: true });

  // Explain: click a marker on the chart. Neighbouring markers can overlap, and Playwright refuses a click
  // another element would receive; here that element is a flagged reading too, so force is fine.
  await markers.first().locator('path').click({ force: true });
  const explanation = page.getByTestId('explanation-table');
  await expect(explanation.locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('explanation-panel')).toContainText('flagged by energy-anomaly 1.0.0');
  await expect(explanation.getByTestId('normalized-value').first()).toContainText(/^z [+-]?\d/);
  // And a row of the table explains that row.
  await page.getByTestId('flagged-table').locator('tbody tr').first().click();
  await expect(page.getByTestId('flagged-table').locator('tbody tr.selected')).toHaveCount(1);
  await expect(explanation.locator('tbody tr')).toHaveCount(5);
  await page.getByTestId('explanation-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-train-explained.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('web mode: a CSV dropped on the drop zone is uploaded, previewed and imported', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();
  const csv = readFileSync(SAMPLE, 'utf8');
  // Built in the page (a string, since this file is type-checked without DOM types).
  const dataTransfer = await page.evaluateHandle(
    `(() => { const dt = new DataTransfer(); dt.items.add(new File([${JSON.stringify(csv)}], 'dropped-sample.csv', { type: 'text/csv' })); return dt; })()`,
  );
  await page.getByTestId('csv-dropzone').dispatchEvent('drop', { dataTransfer });
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('Import dropped-sample');
  await preview.getByLabel('Missing feature values').selectOption('impute-median');
  await preview.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('button', { name: /dropped-sample\s+672 rows · imported/ })).toBeVisible();
  await expect(page.getByTestId('train-panel')).toContainText('On dropped-sample');
});
