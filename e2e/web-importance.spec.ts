import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Issue 13 items 4–5 for the contextual detector, at 1024 px: the Models tab's
 * importance panel compares two versions' attribution beside permutation
 * importance, and Performance's flag drivers summarise the explanation log week
 * by week. Known answer: in the scored fortnight lights_kw is faulty in the
 * first week and hvac_kw in the second.
 */
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1); // a Monday
const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
let app: Served & { spawnedAt: number };
test.use({ viewport: { width: 1024, height: 1800 } });

function csv(file: string, startHour: number, hours: number, faulty: boolean): void {
  // A label column gives the training a holdout (its last 20 %): importance is measured there.
  const lines = ['building_id,timestamp,hvac_kw,lights_kw,is_anomaly'];
  const labels: number[] = [];
  for (const b of ['b1', 'b2']) {
    for (let h = startHour; h < startHour + hours; h++) {
      const hod = h % 24;
      const dow = Math.floor(h / 24) % 7;
      const open = dow < 5 && hod >= 8 && hod < 18;
      const size = b === 'b2' ? 1.5 : 1;
      const wiggle = 1 + 0.004 * Math.sin(h * 12.9898 + (b === 'b2' ? 1 : 0));
      let hvac = size * (open ? 40 : 12) * wiggle;
      let lights = size * (open ? 20 : 3) * wiggle;
      const k = h - startHour;
      const scoredFault = faulty && hod === 11 && k % 168 >= 24 && k % 168 < 96;
      if (scoredFault) {
        if (k < 168) lights *= 4;
        else hvac *= 3;
      }
      // Training: the lights stuck on high every Wednesday 11:00 of the last fortnight (the holdout), the HVAC once.
      const wed11 = dow === 2 && hod === 11;
      if (!faulty && wed11 && h >= 4 * 168) lights *= 4;
      if (!faulty && wed11 && h >= 5 * 168 && b === 'b2') hvac *= 3;
      labels.push(scoredFault || (!faulty && wed11 && h >= 4 * 168) ? 1 : 0);
      lines.push(`${b},${new Date(T0 + h * HOUR).toISOString()},${hvac.toFixed(3)},${lights.toFixed(3)},${labels.at(-1)}`);
    }
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gl-e2e-importance-'));
  const registry = join(dir, 'registry');
  csv(join(dir, 'train.csv'), 0, 6 * 168, false);
  csv(join(dir, 'score.csv'), 6 * 168, 2 * 168, true);
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args, '--registry', registry], { stdio: 'pipe' });
  run('train', '--data', join(dir, 'train.csv'), '--algorithm', 'contextual');
  // A second version fitted with a different seed: its columns sit beside the first's.
  run('train', '--data', join(dir, 'train.csv'), '--algorithm', 'contextual', '--seed', '7');
  run('score', '--data', join(dir, 'score.csv'), '--version', '1.0.1');
  app = await serve({ registry });
});
test.afterAll(async () => {
  await app.stop();
});

test('Models compares contextual importance across versions; Performance summarises the flags week by week', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);

  await page.getByRole('tab', { name: 'Models' }).click();
  const panel = page.getByTestId('importance-panel');
  await expect(panel).toBeVisible();
  const table = panel.getByTestId('importance-table');
  await expect(table.locator('thead th')).toHaveText(['Feature', '1.0.0', '1.0.1', 'Permutation']);
  await expect(table.locator('tbody tr')).toHaveCount(2);
  // lights_kw drove most of the holdout's flags in both versions: it ranks first.
  await expect(table.locator('tbody tr td:first-child')).toHaveText(['lights_kw', 'hvac_kw']);
  const lights = await table.locator('tbody tr').first().locator('td').allTextContents();
  expect(Number(lights[1]!.replace('%', ''))).toBeGreaterThan(50);
  expect(Number(lights[2]!.replace('%', ''))).toBeGreaterThan(50);
  // Both meters move the score when shuffled within their building.
  for (const cell of await table.locator('tbody tr td:last-child').allTextContents()) expect(Number(cell)).toBeGreaterThan(0);
  await expect(panel.getByTestId('importance-chart').locator('.recharts-bar-rectangle')).toHaveCount(2);
  // The breakdown is the panel's, not the generic metric list's.
  await expect(page.getByTestId('version-detail')).not.toContainText('Permutation importance');
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-importance-models.png`, fullPage: true });

  await page.getByRole('tab', { name: 'Performance' }).click();
  const weekly = page.getByTestId('flag-drivers-weekly');
  await expect(weekly).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('flag-drivers-week-sentence')).toContainText(
    /^hvac_kw drove \d+ % of the week's flags \(week of 2024-02-19, \d+ flags\)\.$/,
  );
  const rows = weekly.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).locator('td').nth(0)).toHaveText('2024-02-12');
  await expect(rows.nth(0).locator('td').nth(2)).toHaveText('lights_kw');
  await expect(rows.nth(1).locator('td').nth(2)).toHaveText('hvac_kw');
  await weekly.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-importance-performance.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test("the Train form's 'Include feedback on flags' sends includeFeedback with the contextual detector", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Buildings').fill('2');
  await page.getByLabel('Days').fill('42');
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByText('2,016 rows', { exact: false }).first()).toBeVisible({ timeout: 60_000 });
  const panel = page.getByTestId('train-panel');
  await expect(panel.getByLabel('Algorithm')).toHaveValue('contextual');
  const box = panel.getByLabel('Include feedback on flags');
  await expect(box).not.toBeChecked();
  await box.check();
  await expect(panel).toContainText('confirmed faults are left out of the baseline fit');
  const sent = page.waitForRequest((r) => r.method() === 'POST' && (r.postData() ?? '').includes('"model.train"'));
  await panel.getByRole('button', { name: 'Train model' }).click();
  expect(JSON.stringify((await sent).postDataJSON())).toContain('"includeFeedback":true');
  await expect(page.getByTestId('train-result').getByTestId('trained-version')).toHaveText('1.0.2', { timeout: 120_000 });
  await panel.getByText('Include feedback on flags').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-importance-train-feedback.png`, fullPage: true });
});
