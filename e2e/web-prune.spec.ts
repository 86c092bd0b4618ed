import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildReferenceProfile } from '../src-main/core/drift/profile';
import { Registry } from '../src-main/core/registry';
import { buildFixture, columnsOf, logScenario, MODEL, sinkState } from '../test/backend/monitoring-fixture';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Prune now asks first (issue 9 item 15): two segments are logged (a second
 * version starts the second), the hot window is set to 100, and the dialog
 * must say how many predictions go, from when, and how many bytes come back,
 * before anything is deleted. The first segment goes whole; 400 of the newest
 * segment's 500 go by compaction.
 */
let app: Served & { spawnedAt: number };
test.use({ viewport: { width: 1360, height: 1600 } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const registry = join(mkdtempSync(join(tmpdir(), 'gl-e2e-prune-')), 'registry');
  const fx = await buildFixture(registry);
  const sink = sinkState(registry);
  await logScenario(sink, fx, 'none', { limit: 1_200, perRequest: 120 });
  const v2 = await (
    await Registry.open(registry)
  ).registerVersion({
    model: MODEL,
    params: { trees: 50 },
    metrics: {},
    trainingData: { rows: 1, columns: ['x'], sha256: 'a'.repeat(64) },
    artifact: '{}',
    reference: buildReferenceProfile(columnsOf(fx.baseline, fx.trainMask, 1)),
  });
  await logScenario(sink, fx, 'none', { version: v2.version, limit: 500, perRequest: 100 });
  app = await serve({ registry });
});
test.afterAll(async () => {
  await app?.stop();
});

test('web mode: Prune now confirms what will go (count, dates, bytes), Cancel keeps it, Delete frees the space', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByLabel('Hot window (predictions)').fill('100');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const log = page.getByTestId('prediction-log-panel');
  await expect(log.locator('dd').nth(1)).toHaveText('1,700');

  await log.getByRole('button', { name: 'Prune now' }).click();
  const dialog = page.getByTestId('prune-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(
    /This deletes 1,600 predictions \(1 segment deleted, 1 segment compacted\), logged from \d{4}-\d\d-\d\d \d\d:\d\d UTC to \d{4}-\d\d-\d\d \d\d:\d\d UTC, and frees [\d.]+ KB/,
  );
  await expect(dialog).toContainText(/\b100 predictions \([\d.]+ KB\) stay/);
  await page.screenshot({ path: `${ARTIFACTS}web-prune-confirm.png` });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(log.locator('dd').nth(1)).toHaveText('1,700');

  await log.getByRole('button', { name: 'Prune now' }).click();
  await dialog.getByRole('button', { name: 'Delete 1,600 predictions' }).click();
  await expect(log.getByRole('status')).toContainText(
    /Removed 1,600 predictions \(1 segment deleted, 1 segment compacted\), freeing [\d.]+ KB\./,
  );
  await expect(log.locator('dd').nth(1)).toHaveText('100');
});
