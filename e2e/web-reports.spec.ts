import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { buildFixture, logScenario, sinkState } from '../test/backend/monitoring-fixture';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Reports and downloads in web mode: a registry with logged heatwave readings;
 * the Overview's report is downloaded and opened, and the Performance tab's
 * flagged readings come down whole (not the 200 a table shows).
 */
let app: Served & { spawnedAt: number };
let logged = 0;
const out = mkdtempSync(join(tmpdir(), 'gl-e2e-reports-out-'));
test.use({ viewport: { width: 1280, height: 900 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const registry = join(mkdtempSync(join(tmpdir(), 'gl-e2e-reports-')), 'registry');
  const fx = await buildFixture(registry);
  // Requests ten minutes apart over several hours: the hourly trends have several points whatever the clock says.
  logged = await logScenario(sinkState(registry), fx, 'heatwave', { t0: Date.now() - 8 * 3_600_000, spacingMs: 10 * 60_000 });
  app = await serve({ registry });
});
test.afterAll(async () => {
  await app?.stop();
});

test('web mode: the report is downloaded, self-contained, and opens with every section', async ({ page, context }) => {
  test.setTimeout(120_000);
  await page.goto(app.url);
  const panel = page.getByTestId('report-panel');
  await expect(panel).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export report' }).click()]);
  expect(download.suggestedFilename()).toBe('greenlens-report-energy-anomaly.html');
  const file = join(out, download.suggestedFilename());
  await download.saveAs(file);
  const html = readFileSync(file, 'utf8');
  expect(html).not.toMatch(/https?:|src=|<script/i);

  // Opened from disk with the network cut: nothing it needs is elsewhere.
  await context.setOffline(true);
  const report = await context.newPage();
  const requests: string[] = [];
  report.on('request', (r) => requests.push(r.url()));
  await report.goto(pathToFileURL(file).href);
  await expect(report.getByRole('heading', { level: 1 })).toHaveText('GreenLens report: energy-anomaly');
  for (const name of ['Health', 'Drift', 'Performance', 'Anomalies per building', 'Versions', 'Alerts']) {
    await expect(report.getByRole('heading', { level: 2, name })).toBeVisible();
  }
  await expect(report.locator('#drift tr', { hasText: 'outdoor_temp_c' })).toContainText('drifted');
  await expect(report.locator('#drift svg.chart').first()).toBeVisible();
  expect(requests).toEqual([pathToFileURL(file).href]);
  await report.setViewportSize({ width: 860, height: 1100 });
  await report.screenshot({ path: `${ARTIFACTS}report.png` });
  await context.setOffline(false);
});

test('web mode: every flagged reading of the log comes down as a CSV from Performance', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Performance' }).click();
  await expect(page.getByTestId('performance-window')).toContainText(`all ${logged.toLocaleString('en-US')} logged predictions`);
  const [flagged] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download flagged readings (CSV)' }).click(),
  ]);
  const flaggedFile = join(out, 'flagged.csv');
  await flagged.saveAs(flaggedFile);
  const rows = readFileSync(flaggedFile, 'utf8').trim().split('\n');
  expect(rows[0]).toMatch(/^timestamp,version,building,anomaly_score,is_anomaly,label,/);
  // Each data row is flagged (is_anomaly column = 1).
  expect(rows.slice(1).every((r) => r.split(',')[4] === '1')).toBe(true);
  const [all] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download all logged readings (CSV)' }).click(),
  ]);
  const allFile = join(out, 'all.csv');
  await all.saveAs(allFile);
  const every = readFileSync(allFile, 'utf8').trim().split('\n');
  expect(every.length - 1).toBe(logged);
  expect(every.slice(1).filter((r) => r.split(',')[4] === '1').length).toBe(rows.length - 1);
});

test('web mode: a pinned dashboard, rearranged, is there after the server restarts', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Dashboards' }).click();
  await expect(page.getByText('Pin a first chart')).toBeVisible();
  await page.getByLabel('Metric').selectOption({ label: 'Anomaly rate' });
  await page.getByRole('button', { name: 'Pin chart' }).click();
  await expect(page.getByTestId('dashboard-chart')).toHaveCount(1);
  await page.getByLabel('Metric').selectOption({ label: 'Latency p95 (ms)' });
  await page.getByLabel('Window').selectOption({ label: 'last 1,000 predictions' });
  await page.getByRole('button', { name: 'Pin chart' }).click();
  const charts = page.getByTestId('dashboard-chart');
  await expect(charts).toHaveCount(2);
  await expect(charts.nth(1)).toContainText('Latency p95 (ms) · energy-anomaly · all buildings · last 1,000');
  await expect(charts.nth(0).locator('.recharts-curve').first()).toBeVisible();
  // Latency first.
  await page.getByRole('button', { name: /^Move Latency p95 .* up$/ }).click();
  await expect(charts.nth(0)).toContainText('Latency p95 (ms)');
  await page.screenshot({ path: `${ARTIFACTS}dashboards.png` });

  // A new server on the same registry: the arrangement came from dashboards.json, not from the page.
  await app.stop();
  app = await serve({ registry: app.registry });
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Dashboards' }).click();
  await expect(charts).toHaveCount(2);
  await expect(charts.nth(0)).toContainText('Latency p95 (ms) · energy-anomaly · all buildings · last 1,000');
  await expect(charts.nth(1)).toContainText('Anomaly rate · energy-anomaly · all buildings · last 10,000');
  await page.getByRole('button', { name: /^Remove Anomaly rate/ }).click();
  await expect(charts).toHaveCount(1);
});
