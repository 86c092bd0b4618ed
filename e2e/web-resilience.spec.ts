import { expect, test, type Page } from '@playwright/test';
import { serve, type Served } from './serve';

/**
 * The window never goes blank: a click before the first answers arrive, or an
 * answer the renderer cannot draw (a server from another version), leaves the
 * app usable and says what happened.
 */
let app: Served;
test.beforeAll(async () => {
  app = await serve();
});
test.afterAll(async () => {
  await app.stop();
});
// Calls still being rewritten when a test ends (the app keeps polling) must not fail the next one.
test.afterEach(async ({ page }) => {
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

/** Rewrites the value of one op's answer; every other call goes through untouched. */
async function rewrite(page: Page, op: string, change: (value: Record<string, unknown>) => void, delayMs = 0): Promise<void> {
  await page.route('**/api/call', async (route) => {
    if ((route.request().postDataJSON() as { op: string }).op !== op) return route.continue();
    await new Promise((r) => setTimeout(r, delayMs));
    const response = await route.fetch();
    const envelope = (await response.json()) as { ok: boolean; value: Record<string, unknown> };
    change(envelope.value);
    await route.fulfill({ response, json: envelope });
  });
}

test('Open… clicked before the settings arrive opens the path popover', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Held back so the click surely comes first (in CI it once did by chance and the page went blank).
  await rewrite(page, 'settings.get', () => undefined, 2000);
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open…' }).click();
  await expect(page.getByTestId('registry-path')).toBeVisible();
  await page.getByTestId('registry-path').fill('/nowhere');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('open-registry-popover')).toBeHidden();
  expect(errors).toEqual([]);
});

test('a tab that cannot draw its data says so; the header and the other tabs still work', async ({ page }) => {
  await rewrite(page, 'settings.get', (settings) => {
    settings.thresholds = null;
  });
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Settings' }).click();
  const failed = page.getByTestId('render-error');
  await expect(failed).toContainText('The Settings tab could not be drawn.');
  await expect(failed).toContainText('Nothing on disk was changed');
  await expect(page.getByTestId('registry-name')).toBeVisible();
  await page.getByRole('tab', { name: 'Overview' }).click();
  await expect(failed).toBeHidden();
  await expect(page.getByRole('tabpanel')).toBeVisible();
});

test('an answer the whole window cannot draw shows a panel with Reload, and Reload recovers', async ({ page }) => {
  await rewrite(page, 'app.info', (info) => {
    info.registryPath = 42;
  });
  await page.goto(app.url);
  const failed = page.getByTestId('render-error');
  await expect(failed).toContainText('GreenLens could not be drawn.');
  await page.unrouteAll({ behavior: 'wait' });
  await failed.getByRole('button', { name: 'Reload' }).click();
  await expect(failed).toBeHidden();
  await expect(page.getByTestId('registry-name')).toContainText('Registry');
});
