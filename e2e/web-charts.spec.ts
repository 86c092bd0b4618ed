import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Issue 9.18, charts and wording, at 1024 px: no tab is wider than the window
 * (tables scroll inside their card), axis ticks differ from each other, a
 * temperature axis is not labelled kW, shifts carry units, stored keys get
 * human labels, a reversed date range is caught in the form, and a chart of
 * many buildings says how many it draws.
 */
const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
let app: Served;

test.use({ viewport: { width: 1024, height: 800 } });
test.beforeAll(async () => {
  app = await serve();
  const env = { ...process.env, GREENLENS_CONFIG_DIR: join(app.dataDir, 'cli-config'), GREENLENS_DATA_DIR: app.dataDir };
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`greenlens ${args.join(' ')}: ${r.stderr}`);
  };
  const base = join(app.dataDir, 'base.csv');
  const heat = join(app.dataDir, 'heat.csv');
  run('simulate', '--out', base, '--buildings', '3', '--days', '14', '--seed', '4');
  run('simulate', '--out', heat, '--buildings', '3', '--days', '14', '--seed', '4', '--drift', 'heatwave');
  run('train', '--registry', app.registry, '--data', base);
  run('score', '--registry', app.registry, '--data', base);
  run('score', '--registry', app.registry, '--data', heat);
});
test.afterAll(async () => {
  await app.stop();
});

/**
 * What sticks out sideways: the page, the scrolling content area, and any card
 * whose content is wider than the card (cut or overflowing). Tables inside a
 * .table-wrap scroll on purpose and are not counted.
 */
async function overflowing(page: Page): Promise<string[]> {
  // Browser-side code as text: this file is type-checked for Node, without the DOM's types.
  return page.evaluate(`(() => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push('page +' + (doc.scrollWidth - doc.clientWidth) + 'px');
    const content = document.querySelector('.content');
    if (content && content.scrollWidth > content.clientWidth) out.push('content +' + (content.scrollWidth - content.clientWidth) + 'px');
    for (const el of document.querySelectorAll('.panel, .panel-body, .card, .metric')) {
      if (el.closest('.table-wrap')) continue;
      if (el.scrollWidth > el.clientWidth + 1) {
        const title = el.querySelector('h2, h3, .panel-title')?.textContent ?? el.className;
        out.push(title.trim().slice(0, 40) + ' +' + (el.scrollWidth - el.clientWidth) + 'px');
      }
    }
    // Text cut short by the layout (an ellipsis or a clipped cell) counts too.
    for (const el of document.querySelectorAll('dt, dd, th, td')) {
      const style = getComputedStyle(el);
      if (style.overflow !== 'visible' && el.scrollWidth > el.clientWidth + 1) out.push('cut: ' + el.textContent.trim().slice(0, 40));
    }
    return out;
  })()`);
}

test('at 1024 px no tab overflows the window sideways', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Buildings').fill('3');
  await page.getByLabel('Days').fill('7');
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByTestId('summary-table')).toBeVisible();
  await page.getByTestId('score-panel').getByRole('button', { name: 'Score dataset' }).click();
  await expect(page.getByTestId('score-anomalies')).toBeVisible();
  for (const tab of ['Overview', 'Data', 'Drift', 'Performance', 'Models', 'Settings']) {
    await page.getByRole('tab', { name: tab }).click();
    if (tab === 'Drift') {
      await page.getByRole('button', { name: 'Check drift' }).click();
      await expect(page.getByTestId('drift-table')).toBeVisible();
    }
    if (tab === 'Models') await page.getByRole('row').nth(1).click();
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${ARTIFACTS}web-1024-${tab.toLowerCase()}.png`, fullPage: true });
    expect(await overflowing(page), `${tab} tab at 1024 px`).toEqual([]);
  }
});

test('drift charts: small PSIs get distinct ticks, the threshold label is drawn, shifts carry units', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.url);
  // Readings like the training data: every PSI is small, where "0.00 0.00 0.00" ticks used to appear.
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Buildings').fill('3');
  await page.getByLabel('Days').fill('14');
  await page.getByRole('form', { name: 'Generate building data' }).getByLabel('Seed').fill('4');
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByTestId('summary-table')).toBeVisible();
  await page.getByRole('tab', { name: 'Drift' }).click();
  const form = page.getByRole('form', { name: 'Drift comparison' });
  await form.getByRole('radio').nth(2).check();
  await form.getByRole('button', { name: 'Check drift' }).click();
  const psi = page.getByTestId('drift-psi-chart');
  await expect(psi.locator('.recharts-bar-rectangle').first()).toBeVisible();
  for (const chart of [psi, page.getByTestId('drift-trend')]) {
    const ticks = (await chart.locator('svg text.recharts-cartesian-axis-tick-value').allTextContents()).filter((t) =>
      /^\d+\.\d+$/.test(t),
    );
    expect(ticks.length).toBeGreaterThan(2);
    expect(new Set(ticks).size, `ticks ${ticks.join(' ')}`).toBe(ticks.length);
  }
  await expect(psi).toContainText('threshold 0.1');
  await expect(page.getByTestId('drift-trend')).toContainText('PSI 0.1');
  const row = page.getByTestId('drift-table').locator('tr', { hasText: 'outdoor_temp_c' });
  await expect(row).toContainText(/σ \([+−±]\d+(\.\d+)? °C\)/);
  await expect(page.getByTestId('drift-table').locator('tr', { hasText: 'hvac_kw' })).toContainText(/ kW\)/);
  await page.screenshot({ path: `${ARTIFACTS}web-1024-drift-small-psi.png`, fullPage: true });
  await psi.screenshot({ path: `${ARTIFACTS}web-1024-psi-chart.png` });
  await page.getByTestId('drift-overlay').screenshot({ path: `${ARTIFACTS}web-1024-overlay-chart.png` });
  await page.getByTestId('drift-trend').screenshot({ path: `${ARTIFACTS}web-1024-trend-chart.png` });
});

test('a reversed date range is refused in the form, with no request', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Drift' }).click();
  const form = page.getByRole('form', { name: 'Drift comparison' });
  await form.getByRole('radio').nth(1).check();
  await form.locator('input[aria-label="From"]').fill('2026-03-10T00:00');
  await form.locator('input[aria-label="To"]').fill('2026-03-01T00:00');
  await expect(page.getByTestId('drift-range-error')).toHaveText('"From" must be before "To": the range is reversed or empty.');
  await expect(page.getByRole('button', { name: 'Check drift' })).toBeDisabled();
  await expect(page.getByRole('alert').filter({ hasText: 'failed' })).toHaveCount(0);
});

test('stored keys are shown in words; an axis of temperature says °C; many buildings say how many are drawn', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Models' }).click();
  await page.getByRole('row').nth(1).click();
  const detail = page.locator('main');
  await expect(detail).toContainText('Score median (p50)');
  await expect(detail).toContainText('Sample size');
  for (const raw of ['scoreP50', 'droppedRows', 'sampleSize', 'idColumn']) await expect(detail).not.toContainText(raw);

  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Buildings').fill('20');
  await page.getByLabel('Days').fill('2');
  await page.getByRole('button', { name: 'Generate data' }).click();
  await expect(page.getByTestId('chart-groups-note').first()).toHaveText('Showing 12 of 20 buildings.');
  await expect(page.getByTestId('total-kw-chart')).toContainText('kW');
  await page.getByTestId('score-panel').getByRole('button', { name: 'Score dataset' }).click();
  await expect(page.getByTestId('score-chart').locator('xpath=following-sibling::p[1]')).toHaveText(
    'Showing 12 of 20 buildings; anomaly markers only for those shown.',
  );
  await page.getByTestId('score-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${ARTIFACTS}web-1024-buildings.png` });
});
