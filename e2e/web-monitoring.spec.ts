import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildFixture, logScenario, sinkState } from '../test/backend/monitoring-fixture';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Monitoring in web mode: a registry with one trained version and two days of
 * logged predictions (readings like the training data, then a heatwave) is
 * prepared with the core before `greenlens serve` starts; the Drift, Overview and
 * Performance tabs must show what happened.
 */
let app: Served & { spawnedAt: number };
// Tall enough that every panel of a tab is in the screenshot (the content area scrolls, not the page).
test.use({ viewport: { width: 1360, height: 1900 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const registry = join(mkdtempSync(join(tmpdir(), 'gl-e2e-monitoring-')), 'registry');
  const fx = await buildFixture(registry);
  const sink = sinkState(registry);
  const spacingMs = 15 * 60_000;
  const perRequest = 120;
  const t0 = Date.now() - 2 * 24 * 3_600_000;
  const n = await logScenario(sink, fx, 'none', { t0, spacingMs, perRequest, latencyMs: (k) => 6 + (k % 9) + (k % 24 === 0 ? 20 : 0) });
  await logScenario(sink, fx, 'heatwave', {
    t0: t0 + Math.ceil(n / perRequest) * spacingMs,
    spacingMs,
    perRequest,
    latencyMs: (k) => 9 + (k % 11),
  });
  app = await serve({ registry });
});
test.afterAll(async () => {
  await app?.stop();
});

test('web mode: drift flagged, health warns with a recommendation, performance charts drawn', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);

  // Overview: the four cards, a warning or critical status with the drifted features named.
  const health = page.getByTestId('metric-health');
  await expect(health).toContainText(/Warning|Critical/);
  await expect(page.getByTestId('health-badge')).toContainText(/warning|critical/);
  await expect(page.getByTestId('metric-drift')).toContainText(/features drifted/);
  await expect(page.getByTestId('metric-latency')).toContainText('ms');
  await expect(page.getByTestId('metric-predictions')).toContainText(/\d{2},\d{3}/);
  await expect(page.getByTestId('overview-alerts')).toContainText('outdoor_temp_c');
  await expect(page.getByTestId('overview-recommendations')).toContainText(/Retrain|Investigate/);
  await expect(page.getByTestId('overview-counts-chart').locator('path.recharts-curve').first()).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}web-monitoring-overview.png`, fullPage: true });

  // Drift: the default window (last 10,000 predictions) flags the heatwave features.
  await page.getByRole('tab', { name: 'Drift' }).click();
  const table = page.getByTestId('drift-table');
  await expect(table).toBeVisible();
  await expect(table.locator('tr', { hasText: 'outdoor_temp_c' })).toContainText('drifted');
  await expect(table.locator('tr', { hasText: 'hvac_kw' })).toContainText('drifted');
  await expect(table.locator('tr', { hasText: 'humidity_pct' })).toContainText('stable');
  await expect(page.getByTestId('drift-verdict')).toContainText(/drift/i);
  await expect(page.getByTestId('drift-psi-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('drift-overlay').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('drift-trend').locator('path.recharts-curve').first()).toBeVisible();
  await expect(page.getByTestId('drift-rule')).toContainText('PSI ≥ 0.1');
  // Sorting by clicking a header, and selecting a feature for the overlay.
  await table.getByRole('button', { name: /Feature/ }).click();
  await expect(table.locator('tbody tr').first()).toContainText('humidity_pct');
  await table.locator('tr', { hasText: 'humidity_pct' }).click();
  await expect(page.getByText('Distribution: humidity_pct')).toBeVisible();
  await table.locator('tr', { hasText: 'outdoor_temp_c' }).click();
  await page.screenshot({ path: `${ARTIFACTS}web-monitoring-drift.png`, fullPage: true });

  // Performance: latency statistics, hourly charts with points, accuracy from the labels.
  await page.getByRole('tab', { name: 'Performance' }).click();
  // Requests of 120 readings are batches: judged per reading, not as requests.
  await expect(page.getByTestId('performance-metrics')).toContainText('Batch latency p95');
  await expect(page.getByTestId('metric-batch-latency')).toContainText('ms / reading');
  const counts = page.getByTestId('perf-counts-chart');
  await expect(counts.locator('path.recharts-curve')).toHaveCount(2);
  await expect(page.getByTestId('perf-latency-chart').locator('path.recharts-curve')).toHaveCount(2);
  await expect(page.getByTestId('latency-table')).toContainText('Batch latency p95');
  await expect(page.getByTestId('accuracy-table')).toContainText('Precision');
  await expect(page.getByTestId('version-latency-table')).toContainText('1.0.0');
  await page.screenshot({ path: `${ARTIFACTS}web-monitoring-performance.png`, fullPage: true });

  // Settings: log stats and Prune now. One segment holds all ~20,000 predictions, just over half of them
  // outside the hot window (10,000): the prune would compact it, and asks first; Cancel keeps everything.
  await page.getByRole('tab', { name: 'Settings' }).click();
  const log = page.getByTestId('prediction-log-panel');
  await expect(log).toContainText('Segments');
  const before = await log.locator('dd').nth(1).textContent();
  await log.getByRole('button', { name: 'Prune now' }).click();
  const dialog = page.getByTestId('prune-dialog');
  await expect(dialog).toContainText(/predictions \(1 segment compacted\)/);
  await expect(dialog).toContainText(/\b10,000 predictions \([\d.]+ KB\) stay/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(log.locator('dd').nth(1)).toHaveText(before!);
  await page.screenshot({ path: `${ARTIFACTS}web-monitoring-settings.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('web mode: a stricter PSI threshold saved on Settings changes the next drift report', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByLabel('PSI threshold').fill('5');
  await page.getByLabel('Effect-size floor (σ)').fill('10');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.getByRole('tab', { name: 'Drift' }).click();
  await expect(page.getByTestId('drift-rule')).toContainText('PSI ≥ 5 ');
  // hvac_kw (PSI ≈ 0.9, 1.6σ) no longer passes; outdoor_temp_c (PSI ≈ 8) still does.
  await expect(page.getByTestId('drift-table').locator('tr', { hasText: 'hvac_kw' })).toContainText('stable');
  await expect(page.getByTestId('drift-table').locator('tr', { hasText: 'outdoor_temp_c' })).toContainText('drifted');
  await page.screenshot({ path: `${ARTIFACTS}web-monitoring-drift-strict.png`, fullPage: true });
  // Back to the defaults for anyone reusing the settings folder.
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByLabel('PSI threshold').fill('0.1');
  await page.getByLabel('Effect-size floor (σ)').fill('0.1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
});
