import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { ARTIFACTS, serve, type Served } from './serve';

/**
 * Issue 9 items 10–13 as a user sees them: a European BMS export (Windows-1252,
 * ';', decimal commas, dd.mm.yyyy times) in the import review with what was
 * inferred, files that are not CSV refused naming the user's file, and
 * datasets that are still there after the server restarts.
 */

let app: Served & { spawnedAt: number };
test.use({ viewport: { width: 1360, height: 2400 } });

test.beforeAll(async () => {
  app = await serve();
});
test.afterAll(async () => {
  await app.stop();
});

function bmsExport(): Buffer {
  const lines = ['Zeitstempel;Gebäude;Energie kWh;Température'];
  for (let h = 0; h < 120; h++) {
    const day = String(1 + Math.floor(h / 6)).padStart(2, '0');
    const hour = String((h % 6) * 4).padStart(2, '0');
    lines.push(
      `${day}.11.2026 ${hour}:00;${h % 2 ? 'Halle 2' : 'Büro'};${(20 + (h % 9) * 0.75).toFixed(2).replace('.', ',')};${(h % 7) + 3},5`,
    );
  }
  return Buffer.from(lines.join('\r\n') + '\r\n', 'latin1');
}

async function upload(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.getByLabel('CSV file to import').setInputFiles({ name, mimeType: 'text/csv', buffer });
}

test('web mode: a European BMS export is read right, the review says how, and the dataset survives a restart', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();
  await upload(page, 'Zähler Halle.csv', bmsExport());
  const preview = page.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  const reading = page.getByTestId('reading-options');
  await expect(reading.getByLabel('Encoding')).toHaveValue('auto');
  await expect(reading.getByLabel('Encoding').locator('option:checked')).toHaveText('Auto (windows-1252)');
  await expect(reading.getByLabel('Delimiter').locator('option:checked')).toHaveText('Auto (Semicolon ;)');
  await expect(reading.getByLabel('Decimal separator').locator('option:checked')).toHaveText('Auto (comma 6,3)');
  await expect(reading.getByLabel('Date format').locator('option:checked')).toHaveText('Auto (Day first 01.11.2026)');
  await expect(reading).toContainText('encoding windows-1252 (the bytes are not valid UTF-8)');
  await expect(reading).toContainText('dates dd.mm.yyyy (inferred: a first field above 12, e.g. 13.11.2026 00:00)');
  await expect(page.getByLabel('Role of Zeitstempel')).toHaveValue('timestamp');
  await expect(page.getByLabel('Role of Gebäude')).toHaveValue('id');
  await expect(page.getByLabel('Role of Energie kWh')).toHaveValue('feature');
  await expect(page.getByLabel('Role of Température')).toHaveValue('feature');
  await page.screenshot({ path: `${ARTIFACTS}web-import-european.png`, fullPage: true });

  // Choosing the decimal point instead re-reads the file: the comma numbers are no longer numbers.
  await reading.getByLabel('Decimal separator').selectOption('.');
  await expect(page.getByLabel('Role of Energie kWh')).not.toHaveValue('feature');
  await reading.getByLabel('Decimal separator').selectOption('auto');
  await expect(page.getByLabel('Role of Energie kWh')).toHaveValue('feature');

  await preview.getByRole('button', { name: 'Import' }).click();
  await expect(preview).toBeHidden();
  await expect(page.getByRole('button', { name: /Zähler Halle\s+120 rows · imported/ })).toBeVisible();
  await expect(page.getByTestId('import-notes')).toContainText('Read Zähler Halle.csv: encoding windows-1252');

  // Restart the server on the same registry: the dataset is listed again and can be renamed and deleted.
  await app.stop();
  app = await serve({ registry: app.registry });
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByRole('button', { name: /Zähler Halle\s+120 rows · imported/ })).toBeVisible();
  await expect(page.getByTestId('summary-table')).toContainText('Température');

  await page.getByRole('button', { name: 'Rename Zähler Halle' }).click();
  const rename = page.getByTestId('rename-dataset-dialog');
  await rename.getByLabel('New name').fill('Halle Nord November');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('button', { name: /Halle Nord November\s+120 rows/ })).toBeVisible();

  await page.getByRole('button', { name: 'Delete Halle Nord November' }).click();
  const del = page.getByTestId('delete-dataset-dialog');
  await expect(del).toContainText('Delete Halle Nord November (120 rows) from the registry?');
  await del.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('No data yet')).toBeVisible();
  expect(errors).toEqual([]);
});

test('web mode: a gzip file and a ragged CSV are refused naming the chosen file and a real option', async ({ page }) => {
  await page.goto(app.url);
  await page.getByRole('tab', { name: 'Data' }).click();
  await upload(page, 'meters.csv.gz', gzipSync(Buffer.from('a,b\n1,2\n')));
  const alert = page.getByRole('alert').filter({ hasText: 'meters.csv.gz' });
  await expect(alert).toContainText('meters.csv.gz is not a text CSV: it is a gzip archive (unpack it first)');
  await expect(alert).not.toContainText('upload');
  await expect(page.getByTestId('import-preview')).toBeHidden();

  await upload(page, 'Halle 3.csv', Buffer.from('time,kw\n2026-01-01T00:00Z,1\n2026-01-01T01:00Z,2,9\n2026-01-01T02:00Z,3\n'));
  const preview = page.getByTestId('import-preview');
  await preview.getByRole('button', { name: 'Import' }).click();
  const ragged = page.getByRole('alert').filter({ hasText: 'Importing Halle 3' });
  await expect(ragged).toContainText('Halle 3.csv line 3: expected 2 fields (as in the header), found 3');
  await expect(ragged).toContainText('"Rows with the wrong number of fields: skip" in the import review');
  await page.getByTestId('reading-options').getByLabel('Rows with the wrong number of fields').selectOption('skip');
  await preview.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('button', { name: /Halle 3\s+2 rows · imported/ })).toBeVisible();
});
