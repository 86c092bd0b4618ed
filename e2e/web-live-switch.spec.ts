import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * A live source belongs to the registry it was started on: opening (here creating) another
 * registry stops it, and the Live source panel says why.
 */
let app: Served;

test.beforeAll(async () => {
  app = await serve();
});
test.afterAll(async () => {
  await app.stop();
});

test.use({ viewport: { width: 1024, height: 1400 } });

test('web mode: opening another registry stops a running replay and the panel says so', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);

  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Buildings').fill('2');
  await page.getByLabel('Days').fill('7');
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByText('336 rows', { exact: false }).first()).toBeVisible();
  await page.getByTestId('train-panel').getByRole('button', { name: 'Train model' }).click();
  await expect(page.getByTestId('train-result').getByTestId('trained-version')).toHaveText('1.0.0');

  // An hour of readings a second: the replay would run for minutes.
  const live = page.getByTestId('live-panel');
  await live.getByLabel(/^Source/).selectOption('replay');
  await live.getByLabel('Speed (× real time)').fill('3600');
  await live.getByRole('button', { name: 'Start live source' }).click();
  await expect(live.getByTestId('live-state')).toHaveText('replaying');

  const other = join(app.dataDir, 'other-registry');
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByTestId('registry-path').fill(other);
  await page.getByTestId('open-registry-popover').getByRole('button', { name: 'Create new' }).click();
  await expect(page.getByTestId('registry-name')).toContainText('other-registry');

  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(live.getByTestId('live-state')).toHaveText('stopped');
  await expect(live.getByTestId('live-status')).toContainText(
    `Stopped: ${other} was opened; a live source logs only into the registry it was started on (${app.registry}).`,
  );
  // The new registry has no dataset yet, so there is nothing to replay.
  await expect(live.getByRole('button', { name: 'Start live source' })).toBeDisabled();
  // Datasets live in the registry: the new one has none, so the old dataset is not offered or shown.
  await expect(page.getByRole('button', { name: /^sim-2b-7d/ })).toHaveCount(0);
  await expect(page.getByText('336 rows', { exact: false })).toHaveCount(0);
  await live.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-live-switch.png` });
  expect(errors).toEqual([]);
});
