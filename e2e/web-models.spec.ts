import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildFixtureRegistry } from '../test/backend/registry-fixture';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * The registry workflow in web mode: start on an empty default registry, open
 * a prepared one (three versions) by typing its path, compare two versions,
 * promote twice, roll back, read the timeline, verify and export.
 */
let app: Served & { spawnedAt: number };
let prepared: string;

test.beforeAll(async () => {
  prepared = join(mkdtempSync(join(tmpdir(), 'gl-e2e-models-')), 'site-a');
  await buildFixtureRegistry(prepared);
  app = await serve({ allow: [dirname(prepared)] });
});
test.afterAll(async () => {
  await app.stop();
});

const row = (page: Page, version: string) => page.getByTestId('versions-table').locator('tbody tr', { hasText: version });

async function promote(page: Page, version: string, reason: string): Promise<void> {
  await row(page, version).click();
  await expect(page.getByTestId('version-detail')).toContainText(`Version ${version}`);
  await page.getByRole('button', { name: 'Promote…' }).click();
  const dialog = page.getByTestId('promote-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Promote' }).click();
  await expect(dialog).toBeHidden();
}

test('web mode: open a registry, compare, promote, roll back, see the timeline', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(page.getByText('No model versions yet')).toBeVisible();
  await expect(page.getByText('Train a model on the Data tab')).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}web-models-empty.png` });

  // Open… in web mode: a typed path on the host.
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByTestId('registry-path').fill(prepared);
  await page.screenshot({ path: `${ARTIFACTS}web-models-open-popover.png` });
  await page.getByTestId('open-registry-popover').getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('registry-name')).toContainText('site-a');
  await expect(page.getByTestId('versions-table').locator('tbody tr')).toHaveCount(3);
  // No production yet: the header shows the newest version.
  await expect(page.getByTestId('active-model')).toContainText('1.0.2');

  // Compare two versions side by side.
  await row(page, '1.0.0').getByRole('checkbox').check();
  await row(page, '1.0.1').getByRole('checkbox').check();
  const compare = page.getByTestId('compare-panel');
  await expect(compare).toContainText('Compare 1.0.0 → 1.0.1');
  const auc = page.getByTestId('compare-metrics').locator('tr', { hasText: 'ROC AUC' });
  await expect(auc).toContainText('+0.041');
  // Trained on different data: each side says what it was measured on, and AUC is not called "better".
  await expect(auc).toContainText('↑ higher · measured on different holdouts');
  await expect(page.getByTestId('compare-measured-on')).toContainText('Different evaluation data');
  await expect(page.getByTestId('compare-params')).toContainText('trees');
  // The content area scrolls inside the window: a taller window shows every card in one picture.
  await page.setViewportSize({ width: 1360, height: 1400 });
  await page.screenshot({ path: `${ARTIFACTS}web-models-compare.png` });

  // Promote twice, then roll back production.
  await promote(page, '1.0.1', 'best ROC AUC on the winter data');
  await expect(row(page, '1.0.1').getByTestId('alias-production')).toBeVisible();
  await expect(page.getByTestId('active-model')).toContainText('1.0.1');
  await expect(page.getByTestId('active-model')).toContainText('production');
  await promote(page, '1.0.2', 'better F1');
  await expect(row(page, '1.0.2').getByTestId('alias-production')).toBeVisible();
  await expect(page.getByTestId('active-model')).toContainText('1.0.2');

  await page.getByRole('button', { name: 'Roll back production' }).click();
  const rollback = page.getByTestId('rollback-dialog');
  await expect(rollback).toContainText('moves from 1.0.2 back to 1.0.1');
  await rollback.getByLabel('Reason').fill('too many false alarms since Monday');
  await page.screenshot({ path: `${ARTIFACTS}web-models-rollback-dialog.png` });
  await rollback.getByRole('button', { name: 'Roll back to 1.0.1' }).click();
  await expect(rollback).toBeHidden();
  await expect(page.getByTestId('active-model')).toContainText('1.0.1');
  // Rollback walks back through the history: production came from nothing before 1.0.1, so there is
  // nothing left to roll back to (it used to offer 1.0.1 → 1.0.2, re-deploying the version just rolled back).
  await expect(page.getByRole('button', { name: 'Roll back production' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Roll back production' })).toHaveAttribute(
    'title',
    'Production has no earlier version to go back to',
  );
  const timeline = page.getByTestId('timeline').locator('li');
  await expect(timeline).toHaveCount(3);
  await expect(timeline.first()).toContainText('Rolled back');
  await expect(timeline.first()).toContainText('too many false alarms since Monday');
  await expect(timeline.last()).toContainText('best ROC AUC on the winter data');

  // Notes: description saved through versions.tag.
  await row(page, '1.0.1').click();
  await page.getByTestId('description-input').fill('Production since the winter review.');
  await page.getByRole('button', { name: 'Save tags and description' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  // Verify and export (web mode: a typed path).
  await page.getByRole('button', { name: 'Verify registry' }).click();
  await expect(page.getByTestId('verify-result')).toContainText('Registry verified');
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByTestId('archive-path').fill(`${prepared}-backup.greenlens`);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByTestId('export-result')).toContainText('site-a-backup.greenlens');
  await page.getByTestId('deployment-history').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-models-timeline.png` });
  expect(errors).toEqual([]);
});

test('web mode: a folder that is not a registry gives a clear banner; a dropped folder gives a hint', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Open…' }).click();
  await page.getByTestId('registry-path').fill(app.dataDir);
  await page.getByTestId('open-registry-popover').getByRole('button', { name: 'Open', exact: true }).click();
  // Other banners (e.g. health with no predictions yet) may be up too: pick ours.
  const alert = page.getByRole('alert').filter({ hasText: `Opening ${app.dataDir} failed` });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('greenlens-registry.json');

  // A browser never learns where a dropped folder is: say what to do instead.
  // A string expression: this file is type-checked without the DOM library.
  const dataTransfer = await page.evaluateHandle(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([], 'site-a', { type: '' }));
    return dt;
  })()`);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.getByTestId('drop-hint')).toContainText('type its path');
  await page.screenshot({ path: `${ARTIFACTS}web-models-errors.png` });
});
