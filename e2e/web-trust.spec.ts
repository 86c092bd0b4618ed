import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Answers a user can trust (issue 9): every tab follows the selected model,
 * scoring says which model and version it uses, and a batch is not judged
 * as if it were one slow request.
 */
let app: Served & { spawnedAt: number };
test.use({ viewport: { width: 1360, height: 2000 } });

test.beforeAll(async () => {
  app = await serve();
});
test.afterAll(async () => {
  await app.stop();
});

async function generate(page: Page, buildings: number, days: number): Promise<void> {
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Buildings').fill(String(buildings));
  await page.getByLabel('Days').fill(String(days));
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByText(`${(buildings * days * 24).toLocaleString('en-US')} rows`, { exact: false }).first()).toBeVisible();
}

async function trainAs(page: Page, model: string): Promise<void> {
  const panel = page.getByTestId('train-panel');
  await panel.getByLabel('Model name').fill(model);
  await panel.getByLabel('Algorithm').selectOption('isolation-forest');
  await panel.getByLabel('Trees').fill('30');
  await panel.getByRole('button', { name: 'Train model' }).click();
  await expect(page.getByTestId('train-result').getByTestId('trained-version')).toHaveText('1.0.0');
  await expect(page.getByTestId('train-result').getByLabel('Registered version')).toContainText(model);
}

test('every tab follows the model trained and selected, and Score names the model it uses', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await expect(page.getByTestId('metric-health')).toContainText('No model yet');

  await generate(page, 3, 30);
  await trainAs(page, 'chiller-v2');
  const score = page.getByTestId('score-panel');
  await expect(score.getByTestId('score-target')).toContainText('Scores with chiller-v2 1.0.0');
  await score.getByRole('button', { name: 'Score dataset' }).click();
  await expect(page.getByTestId('score-anomalies')).not.toHaveText('');

  // Overview, Performance and Drift watch chiller-v2, not a model called energy-anomaly.
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(page.getByTestId('metric-health')).toContainText('chiller-v2 1.0.0');
  await expect(page.getByTestId('metric-predictions')).toContainText('2,160');
  // One CSV of 2,160 readings is a batch: judged per reading, never "latency p95 … score smaller batches".
  await expect(page.getByTestId('metric-latency')).toContainText('Batch latency p95');
  await expect(page.getByTestId('metric-latency')).toContainText('ms / reading');
  await expect(page.getByText(/score smaller batches/)).toHaveCount(0);
  await page.getByRole('tab', { name: 'Performance' }).click();
  await expect(page.getByText('No predictions logged yet')).toBeHidden();
  await expect(page.getByText('2,160').first()).toBeVisible();
  await page.getByRole('tab', { name: 'Drift' }).click();
  await expect(page.getByText('No model yet')).toBeHidden();
  // The range is chosen in data time (the readings are dated from 2025-01-06), in UTC, not in when they were scored.
  await expect(page.getByText('Readings dated from')).toBeVisible();
  await expect(page.getByLabel('From', { exact: true })).toHaveValue('2025-01-06T00:00');

  // A second model: training selects it; picking the first on Models moves scoring back to it.
  await generate(page, 2, 10);
  await trainAs(page, 'boiler');
  await expect(score.getByTestId('score-target')).toContainText('Scores with boiler 1.0.0');
  await page.getByRole('tab', { name: 'Models' }).click();
  await page.getByLabel('Selected model').selectOption('chiller-v2');
  await expect(page.getByTestId('active-model')).toContainText('chiller-v2');
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(score.getByTestId('score-target')).toContainText('Scores with chiller-v2 1.0.0');
  await score.getByRole('button', { name: 'Score dataset' }).click();
  await expect(score.getByRole('region', { name: 'Version' })).toContainText('chiller-v2 · threshold');
  await page.screenshot({ path: `${ARTIFACTS}web-trust-score-target.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('a constant feature is left out with a warning; a file whose only feature is constant is refused with a banner', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'gl-e2e-constant-'));
  const hours = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString());
  const mixed = join(dir, 'mixed.csv');
  writeFileSync(mixed, 'timestamp,load_kw,setpoint_c\n' + hours.map((t, i) => `${t},${(i * 7) % 13},21.5`).join('\n') + '\n');
  const only = join(dir, 'only-constant.csv');
  writeFileSync(only, 'timestamp,setpoint_c\n' + hours.map((t) => `${t},21.5`).join('\n') + '\n');

  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();
  const importFile = async (path: string): Promise<void> => {
    await page.getByLabel('CSV file to import').setInputFiles(path);
    const preview = page.getByTestId('import-preview');
    await preview.getByRole('button', { name: 'Import' }).click();
    await expect(preview).toBeHidden();
  };
  const panel = page.getByTestId('train-panel');
  await importFile(mixed);
  await panel.getByLabel('Model name').fill('setpoints');
  // Dropping constant features is the forest's behaviour.
  await panel.getByLabel('Algorithm').selectOption('isolation-forest');
  await panel.getByRole('button', { name: 'Train model' }).click();
  await expect(page.getByTestId('train-warning')).toContainText(
    'Feature "setpoint_c" is constant (21.5 in all 60 rows) and was left out of the model.',
  );

  await importFile(only);
  await panel.getByRole('button', { name: 'Train model' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Every feature is constant (setpoint_c = 21.5)' })).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}web-trust-constant.png`, fullPage: true });
});
