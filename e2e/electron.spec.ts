import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectron } from '../scripts/electron-path.mjs';
import { ARTIFACTS } from './serve';

const bin = findElectron();
if (!bin.path) {
  // A plain line in the log, so nobody mistakes a skip for a pass.
  console.log(`SKIP electron e2e: the Electron binary is not installed here (${bin.reason}).`);
}

test('electron: open the app, generate data on the Data tab, see the chart', async () => {
  test.skip(!bin.path, `Electron binary not installed (${bin.reason})`);
  const app = await electron.launch({
    executablePath: bin.path!,
    // The app folder: Electron reads package.json's main (out/main/index.js).
    args: [fileURLToPath(new URL('..', import.meta.url))],
  });
  const page = await app.firstWindow();
  await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
  const isolated = await page.evaluate(() => typeof (globalThis as { require?: unknown }).require === 'undefined');
  expect(isolated).toBe(true);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByTestId('total-kw-chart').locator('path.recharts-curve').first()).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}electron-data-generated.png` });
  await app.close();
});
