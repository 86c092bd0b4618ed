import { expect, test } from '@playwright/test';
import { ARTIFACTS, serve, type Served } from './serve';

let app: Served & { spawnedAt: number };

test.beforeAll(async () => {
  app = await serve();
});
test.afterAll(async () => {
  await app.stop();
});

test('web mode: open the app, generate data on the Data tab, see the chart', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
  const paintedMs = Date.now() - app.spawnedAt;
  test.info().annotations.push({ type: 'serve-to-paint-ms', description: String(paintedMs) });
  await expect(page.getByText('Welcome to GreenLens')).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}web-overview-empty.png` });
  // The token leaves the address bar (history, bookmarks, screen shares) once the page has it, and no cookie carries it.
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);
  expect(await page.context().cookies()).toEqual([]);
  // A reload keeps working: the tab's sessionStorage still holds the token (the rest of this test calls the API).
  await page.reload();
  await expect(page.getByText('Welcome to GreenLens')).toBeVisible();

  // Keyboard: arrow keys move between tabs.
  await page.getByRole('tab', { name: 'Overview' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('No data yet')).toBeVisible();
  // Ctrl+N jumps to the N-th tab, like the desktop View menu.
  await page.keyboard.press('Control+6');
  await expect(page.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+2');
  await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');

  await page.getByLabel('Buildings').fill('4');
  await page.getByLabel('Days').fill('21');
  await page.getByRole('button', { name: 'Generate data' }).click();
  const chart = page.getByTestId('total-kw-chart');
  await expect(chart.locator('path.recharts-curve').first()).toBeVisible();
  await expect(chart.locator('path.recharts-curve')).toHaveCount(4); // one line per building
  await expect(page.getByText('2,016 rows', { exact: false }).first()).toBeVisible();
  await expect(page.getByTestId('summary-table')).toContainText('outdoor_temp_c');
  await expect(page.getByTestId('preview-table').locator('tbody tr')).toHaveCount(50);
  await page.screenshot({ path: `${ARTIFACTS}web-data-generated.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('web mode: a bad value in the simulator form gives a clear error banner', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Days').fill('5000');
  // Bypass the browser's own max check so the backend's validation speaks.
  await page.getByLabel('Days').evaluate((el) => el.removeAttribute('max'));
  await page.getByRole('button', { name: 'Generate data' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Generating data failed');
  await expect(alert).toContainText('"days"');
  await page.screenshot({ path: `${ARTIFACTS}web-data-error.png` });
});
