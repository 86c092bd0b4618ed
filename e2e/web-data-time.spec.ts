import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { DEFAULT_START } from '../src-main/core/data/simulator';
import { buildFixture, logScenario, sinkState } from '../test/backend/monitoring-fixture';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Issue 9 item 4: 84 days of simulated readings (from 2025-01-06) scored in a few
 * requests a minute apart, today. The Performance and Overview count charts must
 * lay them out over the data's own dates and say the clock and zone; the latency
 * chart stays on the scoring clock.
 */
let app: Served & { spawnedAt: number };
test.use({ viewport: { width: 1360, height: 1600 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const registry = join(mkdtempSync(join(tmpdir(), 'gl-e2e-datatime-')), 'registry');
  const fx = await buildFixture(registry, { buildings: 2 });
  await logScenario(sinkState(registry), fx, 'none', { perRequest: 500, t0: Date.now() - 60_000, spacingMs: 1_000 });
  app = await serve({ registry });
});
test.afterAll(async () => {
  await app?.stop();
});

/** The time-axis tick labels of a chart (the y axis has plain numbers). */
async function xTicks(chart: Locator): Promise<string[]> {
  const all = await chart.locator('svg text.recharts-cartesian-axis-tick-value').allTextContents();
  return all.filter((t) => /[-:]/.test(t));
}

test('web mode: the hourly counts follow the readings’ dates, named as data time in UTC', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Performance' }).click();
  const counts = page.getByTestId('perf-counts-chart');
  await expect(counts.locator('path.recharts-curve').first()).toBeVisible();
  await expect(counts.getByText('data time (UTC)')).toBeVisible();
  const ticks = await xTicks(counts);
  // Dates of the data (January to April 2025), not today's date when the scoring ran.
  expect(ticks.length).toBeGreaterThan(2);
  for (const t of ticks) expect(t).toMatch(/^2025-0[1-4]-\d\d$/);
  expect(ticks[0]! >= new Date(DEFAULT_START).toISOString().slice(0, 10)).toBe(true);
  const today = new Date().toISOString().slice(0, 10);
  expect(ticks).not.toContain(today);

  const latency = page.getByTestId('perf-latency-chart');
  await expect(latency.getByText('scoring time (UTC)')).toBeVisible();
  await expect(page.getByTestId('performance-window')).toContainText(/readings from 2025-01-\d\d \d\d:\d\d UTC to 2025-0[34]/);
  await expect(page.getByTestId('performance-window')).toContainText(`scored ${today}`);
  await page.screenshot({ path: `${ARTIFACTS}web-performance-data-time.png`, fullPage: true });

  await page.getByRole('tab', { name: 'Overview' }).click();
  const overview = page.getByTestId('overview-counts-chart');
  await expect(overview.getByText('data time (UTC)')).toBeVisible();
  for (const t of await xTicks(overview)) expect(t).toMatch(/^2025-0[1-4]-\d\d$/);
  expect(errors).toEqual([]);
});
