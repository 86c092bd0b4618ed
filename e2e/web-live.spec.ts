import { expect, test } from '@playwright/test';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * The app's live source in web mode: replay a generated dataset from the Data
 * tab, and watch the Overview's live count and anomaly rate follow it.
 */
let app: Served;

test.beforeAll(async () => {
  app = await serve();
});
test.afterAll(async () => {
  await app.stop();
});

test.use({ viewport: { width: 1360, height: 1600 } });

const count = async (text: Promise<string | null>): Promise<number> => Number(((await text) ?? '').replace(/,/g, '')) || 0;

test('web mode: a replay started in the Data tab moves the Overview’s live count and anomaly rate', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);

  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Buildings').fill('2');
  await page.getByLabel('Days').fill('7');
  await page.getByLabel('Anomaly rate (%)').fill('5');
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByText('336 rows', { exact: false }).first()).toBeVisible();
  await page.getByTestId('train-panel').getByRole('button', { name: 'Train model' }).click();
  await expect(page.getByTestId('train-result').getByTestId('trained-version')).toHaveText('1.0.0');

  // 7 days of hourly rows at 20,000× real time: 336 readings over about 15 s.
  const live = page.getByTestId('live-panel');
  await live.getByLabel(/^Source/).selectOption('replay');
  await live.getByLabel('Speed (× real time)').fill('20000');
  await live.getByRole('button', { name: 'Start live source' }).click();
  await expect(live.getByTestId('live-state')).toHaveText('replaying');

  await page.getByRole('tab', { name: 'Overview' }).click();
  const card = page.getByTestId('live-card');
  await expect(card).toBeVisible();
  const liveCount = card.getByTestId('live-count');
  await expect.poll(() => count(liveCount.textContent())).toBeGreaterThan(0);
  const first = await count(liveCount.textContent());
  // It keeps moving while the replay runs, without reloading the page.
  await expect.poll(() => count(liveCount.textContent()), { timeout: 30_000 }).toBeGreaterThan(first);
  await expect(card.getByTestId('live-rate')).toHaveText(/^\d+(\.\d)?\s?%$/);
  await page.screenshot({ path: `${ARTIFACTS}web-live-overview.png` });
  // The whole dataset, then the replay ends by itself.
  await expect(liveCount).toHaveText('336', { timeout: 60_000 });
  await expect(card).toContainText('Replay finished');
  const rate = await card.getByTestId('live-rate').textContent();
  expect(Number(rate!.replace('%', ''))).toBeGreaterThan(0);

  await page.getByRole('tab', { name: 'Performance' }).click();
  await expect(page.getByTestId('live-card').getByTestId('live-count')).toHaveText('336');
  expect(errors).toEqual([]);
});
