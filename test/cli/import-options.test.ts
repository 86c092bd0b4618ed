import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

/**
 * A European BMS export (Windows-1252, ';' with decimal commas, dd.mm.yyyy
 * times) through train, score and drift, with the reading options as flags
 * (issue 9 item 10).
 */
function bmsExport(dir: string, name: string, shift = 0): string {
  const lines = ['Zeitstempel;Gebäude;Energie kWh;Température'];
  for (let h = 0; h < 240; h++) {
    // Every second hour over 20 days, so days above 12 settle the date order.
    const day = String(1 + Math.floor(h / 12)).padStart(2, '0');
    const hour = String((h % 12) * 2).padStart(2, '0');
    const kwh = (20 + 5 * Math.sin(h / 3) + (h % 7) * 0.35 + shift).toFixed(2).replace('.', ',');
    const temp = (8 + 4 * Math.cos(h / 5) + shift).toFixed(1).replace('.', ',');
    lines.push(`${day}.11.2026 ${hour}:00;${h % 2 ? 'Halle 2' : 'Büro'};${kwh};${temp}`);
  }
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(lines.join('\r\n') + '\r\n', 'latin1'));
  return path;
}

describe('CSV reading options on the CLI', () => {
  it('infers a European export and says how it was read (stderr; "import" with --json)', () => {
    const dir = tempDir('gl-cli-eu-');
    const csv = bmsExport(dir, 'bms.csv');
    const registry = join(dir, 'registry');
    const human = runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', csv, '--trees', '20']);
    expect(human.code).toBe(0);
    expect(human.stderr).toContain(
      `Read ${csv}: encoding windows-1252 (the bytes are not valid UTF-8); delimiter ';' (inferred from the header line); decimal ','`,
    );
    expect(human.stderr).toContain('dates dd.mm.yyyy (inferred: a first field above 12, e.g. 13.11.2026 00:00)');
    expect(human.stdout).toContain('240 rows × 2 features');

    const json = runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', csv, '--trees', '20', '--json']);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const out = JSON.parse(json.stdout);
    expect(out.params.features).toEqual(['Energie kWh', 'Température']);
    expect(out.import.reading).toMatchObject({ encoding: 'windows-1252', delimiter: ';', decimal: ',', dateFormat: 'dd/mm/yyyy' });
    expect(out.import.rows).toBe(240);
  });

  it('takes --decimal, --date-format, --encoding, --delimiter, --ragged and --missing on score and drift', () => {
    const dir = tempDir('gl-cli-eu-opts-');
    const csv = bmsExport(dir, 'bms.csv');
    const registry = join(dir, 'registry');
    expect(runCli(['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', csv, '--trees', '20']).code).toBe(0);
    // One short row: an error by default, skipped with --ragged skip.
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(
      ragged,
      Buffer.concat([
        Buffer.from('Zeitstempel;Gebäude;Energie kWh;Température\r\n', 'latin1'),
        Buffer.from('01.11.2026 00:00;Büro;1,5\r\n02.11.2026 00:00;Büro;2,5;3,5\r\n03.11.2026 00:00;Büro;;4\r\n', 'latin1'),
      ]),
    );
    const refused = runCli(['score', '--registry', registry, '--data', ragged]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ragged.csv line 2 (column "Température"): expected 4 fields (as in the header), found 3');
    expect(refused.stderr).toContain('--ragged skip');
    const opts = ['--encoding', 'windows-1252', '--delimiter', ';', '--decimal', ',', '--date-format', 'dd/mm/yyyy'];
    const scored = runCli([
      'score',
      '--registry',
      registry,
      '--data',
      ragged,
      ...opts,
      '--ragged',
      'skip',
      '--missing',
      'impute-zero',
      '--json',
    ]);
    expect(scored.code).toBe(0);
    const out = JSON.parse(scored.stdout);
    expect(out.rows).toBe(2);
    expect(out.import).toMatchObject({ raggedRows: 1, imputed: { 'Energie kWh': 1 } });
    expect(out.import.reading.inferred).toEqual({ encoding: false, delimiter: false, decimal: false, dateFormat: false });

    const shifted = bmsExport(dir, 'shifted.csv', 6);
    const drift = runCli(['drift', '--reference', csv, '--current', shifted, '--decimal', ',', '--json']);
    expect(drift.code).toBe(0);
    const report = JSON.parse(drift.stdout);
    expect(report.features.map((f: { name: string }) => f.name)).toEqual(['Energie kWh', 'Température']);
    expect(report.current.reading).toMatchObject({ decimal: ',', encoding: 'windows-1252' });
    expect(report.driftedFeatures.length).toBeGreaterThan(0);
  });

  it('refuses an unknown choice as a usage error naming the flag', () => {
    const r = runCli(['score', '--registry', '/nonexistent', '--data', 'x.csv', '--decimal', ';']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--decimal must be one of auto, ., ,, got ";"');
  });
});
