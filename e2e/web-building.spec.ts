import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startTestWorker } from '../test/helpers/backend';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Issue 13 item 3: one building picked anywhere. A simulated year of three
 * buildings, the contextual detector trained and every reading scored (so the
 * log knows each reading's building). Pick a building on Data: its readings,
 * the expected load and the flags; Drift and Performance show the same
 * building; a row of the fleet table picks another. At 1024 px, the narrowest
 * width the layout must fit.
 */
let app: Served & { spawnedAt: number };
test.use({ viewport: { width: 1024, height: 1400 } });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const registry = join(mkdtempSync(join(tmpdir(), 'gl-e2e-building-')), 'registry');
  const worker = startTestWorker(registry);
  try {
    const ds = await worker.call('data.simulate', { profile: 'year', years: 1, buildings: 3, anomalyRate: 0.03, name: 'three-buildings' });
    const trained = await worker.call('model.train', { datasetId: ds.id });
    expect(trained.params.algorithm).toBe('contextual');
    await worker.call('model.score', { datasetId: ds.id });
  } finally {
    await worker.close();
  }
  app = await serve({ registry });
});
test.afterAll(async () => {
  await app?.stop();
});

/** Picks a building in a picker by typing part of its name and pressing Enter (the keyboard path). */
async function pickByKeyboard(page: Page, pickerTestId: string, text: string): Promise<void> {
  const input = page.getByTestId(pickerTestId).getByRole('combobox');
  await input.click();
  await input.fill(text);
  await expect(page.getByTestId(pickerTestId).getByRole('option').nth(1)).toBeVisible();
  await input.press('Enter');
}

test('pick a building on Data; Drift and Performance show the same building; a fleet row picks another', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();

  const panel = page.getByTestId('building-panel');
  const dataPicker = page.getByTestId('building-picker-data');
  await expect(dataPicker.getByRole('combobox')).toHaveValue('All buildings');
  await expect(panel).toContainText('Pick a building');
  // The list offers every building, "All buildings" first.
  await dataPicker.getByRole('combobox').click();
  const options = dataPicker.getByRole('option');
  await expect(options).toHaveCount(4);
  await expect(options.first()).toHaveText('All buildings');
  const names = (await options.allTextContents()).slice(1);
  await dataPicker.getByRole('combobox').press('Escape');
  const first = names[0]!;
  const second = names[1]!;

  await pickByKeyboard(page, 'building-picker-data', first);
  await expect(dataPicker.getByRole('combobox')).toHaveValue(first);
  const chart = page.getByTestId('building-chart');
  await expect(chart.locator('path.recharts-curve')).toHaveCount(2, { timeout: 60_000 });
  // A year of hourly readings is thinned for the chart; the expected load and the flags are drawn.
  const summary = page.getByTestId('building-summary');
  await expect(summary).toContainText('8,760 readings of total_kw');
  await expect(summary).toContainText(/flagged \(\d+(\.\d)?%\) by energy-anomaly 1\.0\.0/);
  await expect(summary).toContainText('thinned for the chart');
  await expect(chart.getByText('expected load')).toBeVisible();
  await expect(chart.locator('.recharts-scatter-symbol').first()).toBeVisible();
  await expect(page.getByTestId('expected-note')).toHaveCount(0);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-building-data.png`, fullPage: false });
  await panel.screenshot({ path: `${ARTIFACTS}web-building-data-panel.png` });

  // Drift: the same building, its readings only, against the fleet's reference.
  await page.getByRole('tab', { name: 'Drift' }).click();
  await expect(page.getByTestId('building-picker-drift').getByRole('combobox')).toHaveValue(first);
  const note = page.getByTestId('drift-building-note');
  await expect(note).toContainText(`Building ${first}: its readings only, against the fleet reference`, { timeout: 60_000 });
  await expect(page.getByTestId('drift-summary')).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}web-building-drift.png`, fullPage: false });

  // Performance: the same building's rate over data time, its figures and alerts, and the fleet table.
  await page.getByRole('tab', { name: 'Performance' }).click();
  await expect(page.getByTestId('building-picker-performance').getByRole('combobox')).toHaveValue(first);
  const perf = page.getByTestId('building-performance');
  await expect(perf).toContainText(`Building ${first}`);
  await expect(perf.getByTestId('building-metrics')).toContainText('8,760');
  await expect(perf.getByTestId('building-rate')).toContainText('fleet');
  await expect(perf.getByTestId('building-rate-chart').locator('path.recharts-curve')).toHaveCount(1);
  await expect(perf.getByTestId('building-rule-scope')).toContainText('fleet-wide');
  await perf.screenshot({ path: `${ARTIFACTS}web-building-performance.png` });

  // A fleet row picks its building, on every tab.
  const fleet = page.getByTestId('fleet-table');
  await fleet.locator('tbody tr', { hasText: second }).click();
  await expect(page.getByTestId('building-picker-performance').getByRole('combobox')).toHaveValue(second);
  await expect(perf).toContainText(`Building ${second}`);
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(dataPicker.getByRole('combobox')).toHaveValue(second);

  // "All buildings" goes back to the whole fleet, with the arrow keys.
  const input = dataPicker.getByRole('combobox');
  await input.focus();
  await expect(input).toHaveAttribute('aria-activedescendant', /opt-0$/);
  await input.press('ArrowDown');
  await expect(input).toHaveAttribute('aria-activedescendant', /opt-1$/);
  await input.press('ArrowUp');
  await expect(input).toHaveAttribute('aria-activedescendant', /opt-0$/);
  await input.press('Enter');
  await expect(input).toHaveValue('All buildings');
  await expect(panel).toContainText('Pick a building');
  expect(errors).toEqual([]);
});
