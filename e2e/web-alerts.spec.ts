import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { Registry } from '../src-main/core/registry';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Alerts and feedback in web mode, through the UI: a scoring request opens an
 * alert (a rule on the anomaly rate, set low enough to fire), the window title
 * counts it, the Alerts tab lists it and a person acknowledges it with a note;
 * then flagged readings are reviewed on the Data tab and the Performance tab's
 * precision follows the verdicts.
 */
let app: Served;

test.use({ viewport: { width: 1360, height: 1400 } });

test.beforeAll(async () => {
  const registry = join(mkdtempSync(join(tmpdir(), 'gl-e2e-alerts-')), 'registry');
  await Registry.openOrCreate(registry);
  mkdirSync(join(registry, 'alerts'));
  writeFileSync(
    join(registry, 'alerts', 'rules.json'),
    JSON.stringify({ formatVersion: 1, rules: [{ id: 'anomaly-rate', kind: 'anomaly-rate', threshold: 0.001, severity: 'critical' }] }),
  );
  app = await serve({ registry });
});
test.afterAll(async () => {
  await app?.stop();
});

test.describe.serial('alerts and feedback', () => {
  test('web mode: an alert arrives after a scoring request and is acknowledged with a note', async ({ page, context }) => {
    test.setTimeout(180_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await expect(page).toHaveTitle('GreenLens');

    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByLabel('Buildings').fill('3');
    await page.getByLabel('Days').fill('14');
    await page.getByRole('button', { name: 'Generate data' }).click();
    await expect(page.getByText('1,008 rows', { exact: false }).first()).toBeVisible();
    await page.getByTestId('train-panel').getByRole('button', { name: 'Train model' }).click();
    await expect(page.getByTestId('train-result').getByTestId('trained-version')).toHaveText('1.0.0');
    await page.getByTestId('score-panel').getByRole('button', { name: 'Score dataset' }).click();
    await expect(page.getByTestId('score-anomalies')).toBeVisible();

    // The rule ran after the scoring request: the title counts the open, unacknowledged alert.
    await expect(page).toHaveTitle('(1) GreenLens');
    await page.getByRole('tab', { name: 'Alerts' }).click();
    const row = page.getByTestId('alert-A1');
    await expect(row).toContainText('open');
    await expect(row).toContainText('critical');
    await expect(row).toContainText('Anomaly rate of energy-anomaly 1.0.0');
    await expect(page.getByTestId('alerts-summary')).toHaveText('1 open, 1 not acknowledged.');
    await expect(page.getByTestId('rule-anomaly-rate')).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}web-alerts-open.png` });

    await row.getByRole('button', { name: 'Acknowledge…' }).click();
    await row.getByLabel('Note for A1').fill('Chiller 2 under repair');
    await row.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect(row.getByTestId('alert-ack')).toContainText('Chiller 2 under repair');
    await expect(page.getByTestId('alerts-summary')).toHaveText('1 open, 0 not acknowledged.');
    await expect(page).toHaveTitle('GreenLens');

    // The rules editor: raise the threshold above the rate, save, check: the alert resolves by itself.
    await page.getByLabel('anomaly-rate threshold').fill('0.5');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await expect(page.getByTestId('rules-status')).toHaveText('Saved.');
    await page.getByRole('button', { name: 'Check rules now' }).click();
    await expect(row).toContainText('resolved');
    await expect(page.getByTestId('alerts-summary')).toHaveText('0 open, 0 not acknowledged.');

    // Notifications are asked for only when turned on; granted here, the setting sticks.
    await context.grantPermissions(['notifications']);
    const toggle = page.getByLabel('Desktop notifications for new alerts');
    await expect(toggle).not.toBeChecked();
    await toggle.click();
    await expect(toggle).toBeChecked();
    await page.reload();
    await page.getByRole('tab', { name: 'Alerts' }).click();
    await expect(page.getByLabel('Desktop notifications for new alerts')).toBeChecked();
    await page.screenshot({ path: `${ARTIFACTS}web-alerts-acknowledged.png` });
    expect(errors).toEqual([]);
  });

  test('web mode: feedback on flagged readings changes precision in Performance', async ({ page }) => {
    test.setTimeout(180_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await page.getByRole('tab', { name: 'Performance' }).click();
    const precision = page.getByTestId('metric-feedback-precision');
    await expect(precision).toContainText('no feedback yet');

    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByTestId('score-panel').getByRole('button', { name: 'Score dataset' }).click();
    const table = page.getByTestId('flagged-table');
    await expect(table).toBeVisible();
    const boxes = table.getByRole('checkbox');
    // Two false alarms, then one confirmed fault.
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await expect(page.getByTestId('feedback-bar')).toContainText('2 selected');
    await page.getByRole('button', { name: 'False alarm' }).click();
    await expect(table.locator('tbody tr').filter({ hasText: 'false alarm' })).toHaveCount(2);
    await boxes.nth(2).check();
    await page.getByLabel('Fault type').selectOption('sensor_stuck');
    await page.getByRole('button', { name: 'Confirm fault' }).click();
    await expect(table.locator('tbody tr').filter({ hasText: 'fault (sensor_stuck)' })).toHaveCount(1);
    await page.screenshot({ path: `${ARTIFACTS}web-feedback-flagged.png` });

    await page.getByRole('tab', { name: 'Performance' }).click();
    await expect(precision).toContainText('33.3%');
    await expect(precision).toContainText('1 confirmed faults, 2 false alarms among 3 reviewed flags');
    await page.screenshot({ path: `${ARTIFACTS}web-feedback-precision.png` });
    expect(errors).toEqual([]);
  });
});
