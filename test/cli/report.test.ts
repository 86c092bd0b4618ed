import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getColumn, numericValues } from '../../src-main/core/data/table';
import { predict, scoreSamples } from '../../src-main/core/model';
import { buildFixture, columnsOf, FEATURES, logScenario, sinkState, type Fixture } from '../backend/monitoring-fixture';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

/** `greenlens report` on a registry whose log holds heatwave readings (fixture data: 2025-01-06 on, 84 days). */
let dir: string;
let registry: string;
let fx: Fixture;
const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  GREENLENS_CONFIG_DIR: join(dir, 'config'),
  GREENLENS_DATA_DIR: dir,
  ...extra,
});
const FROM = Date.UTC(2025, 1, 1);
const TO = Date.UTC(2025, 2, 1);

beforeAll(async () => {
  dir = tempDir('gl-cli-report-');
  registry = join(dir, 'registry');
  fx = await buildFixture(registry);
  await logScenario(sinkState(registry), fx, 'heatwave');
  mkdirSync(join(registry, 'alerts'));
  const lines = [
    { time: '2025-02-10T08:00:00Z', level: 'critical', rule: 'drift-score', message: 'Drift score 0.41 <above> 0.3', status: 'open' },
    { time: '2025-03-20T08:00:00Z', level: 'warning', rule: 'anomaly-rate', message: 'outside the period', status: 'open' },
  ];
  // The last line is torn (a crash mid-append): it must be skipped, not break the report.
  writeFileSync(join(registry, 'alerts', 'events.ndjson'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"time":"2025-02-');
}, 120_000);

/** Readings of the logged (non-training) heatwave half in [FROM, TO), and how many the model flags. */
function expectedPeriod(): { readings: number; anomalies: number } {
  const times = numericValues(getColumn(fx.heatwave, 'timestamp')!).filter((_, i) => fx.trainMask[i] === 0);
  const cols = columnsOf(fx.heatwave, fx.trainMask, 0);
  const rows = [...times.keys()].filter((i) => times[i]! >= FROM && times[i]! < TO);
  const values = FEATURES.map((f) => Float64Array.from(rows, (i) => cols[f]![i]!));
  const flags = predict(fx.model, scoreSamples(fx.model, values));
  return { readings: rows.length, anomalies: flags.reduce((a, b) => a + b, 0) };
}

describe('greenlens report', () => {
  it('writes one self-contained HTML file with every section, the period counts and the alerts of the period', () => {
    const out = join(dir, 'feb.html');
    const r = runCli(['report', '--registry', registry, '--from', '2025-02-01', '--to', '2025-03-01', '--out', out, '--json'], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { path: string; format: string; bytes: number; sections: string[] };
    expect(result).toMatchObject({
      path: out,
      format: 'html',
      sections: ['health', 'drift', 'performance', 'buildings', 'versions', 'alerts'],
    });
    const html = readFileSync(out, 'utf8');
    expect(Buffer.byteLength(html)).toBe(result.bytes);
    for (const id of result.sections) expect(html).toContain(`<section id="${id}">`);
    // Nothing fetched: no URL of any scheme, no src attribute, no script.
    expect(html).not.toMatch(/https?:|src=|<script|<link|url\(/i);
    expect(html).toContain('<svg class="chart"');
    const { readings, anomalies } = expectedPeriod();
    expect(html).toContain(`<span class="muted small">Readings (period)</span><b>${readings.toLocaleString('en-US')}</b>`);
    expect(html).toContain(`<span class="muted small">Anomaly rate (period)</span><b>${((100 * anomalies) / readings).toFixed(2)} %</b>`);
    // The heatwave moves the outdoor temperature: the drift table says so.
    expect(html).toMatch(/<td>outdoor_temp_c<\/td><td><b>▲ drifted<\/b><\/td>/);
    // The alert of the period, escaped; the one after it and the torn line are not there.
    expect(html).toContain('Drift score 0.41 &lt;above&gt; 0.3');
    expect(html).not.toContain('outside the period');
  });

  it('prints a PDF with Chromium', () => {
    const out = join(dir, 'feb.pdf');
    const r = runCli(['report', '--registry', registry, '--out', out], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Wrote the PDF report of energy-anomaly to .*feb\.pdf/);
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 120_000);

  it('says clearly when no Chromium is found, and writes nothing', () => {
    const out = join(dir, 'none.pdf');
    const r = runCli(['report', '--registry', registry, '--out', out], env({ GREENLENS_CHROMIUM: join(dir, 'no-such-chromium') }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `GREENLENS_CHROMIUM names ${join(dir, 'no-such-chromium')}, which does not exist: a PDF report needs Chromium.`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an unknown extension and a period that ends before it starts (usage errors)', () => {
    const bad = runCli(['report', '--registry', registry, '--out', join(dir, 'r.docx')], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--out must end in .html or .pdf, got');
    const back = runCli(
      ['report', '--registry', registry, '--from', '2025-03-01', '--to', '2025-02-01', '--out', join(dir, 'r.html')],
      env(),
    );
    expect(back.code).toBe(2);
    expect(back.stderr).toContain('--to must be after --from.');
    const date = runCli(['report', '--registry', registry, '--from', '1st of May', '--out', join(dir, 'r.html')], env());
    expect(date.code).toBe(2);
    expect(date.stderr).toContain('--from must be a date (YYYY-MM-DD) or an ISO time, got "1st of May".');
  });
});

describe('greenlens report: anomalies per building', () => {
  it('counts each building’s logged and flagged readings, as the scored file has them', () => {
    const work = tempDir('gl-cli-report-bld-');
    const e = { GREENLENS_CONFIG_DIR: join(work, 'config'), GREENLENS_DATA_DIR: work };
    const data = join(work, 'd.csv');
    const reg = join(work, 'reg');
    const scoredCsv = join(work, 'scored.csv');
    expect(runCli(['simulate', '--out', data, '--buildings', '3', '--days', '10', '--seed', '4'], e).code).toBe(0);
    expect(runCli(['train', '--registry', reg, '--data', data, '--algorithm', 'isolation-forest', '--trees', '20'], e).code).toBe(0);
    expect(runCli(['score', '--registry', reg, '--data', data, '--out', scoredCsv], e).code).toBe(0);
    const [header, ...lines] = readFileSync(scoredCsv, 'utf8').trim().split('\n');
    const cols = header!.split(',');
    const expected = new Map<string, { readings: number; flagged: number }>();
    for (const line of lines) {
      const cells = line.split(',');
      const id = cells[cols.indexOf('building_id')]!;
      const row = expected.get(id) ?? { readings: 0, flagged: 0 };
      row.readings++;
      row.flagged += Number(cells[cols.indexOf('is_anomaly')]);
      expected.set(id, row);
    }
    expect([...expected.keys()].sort()).toEqual(['B01', 'B02', 'B03']);
    const out = join(work, 'r.html');
    expect(runCli(['report', '--registry', reg, '--out', out], e).code).toBe(0);
    const html = readFileSync(out, 'utf8');
    const section = html.slice(html.indexOf('<section id="buildings">'), html.indexOf('<section id="versions">'));
    for (const [id, { readings, flagged }] of expected) {
      const rate = `${((100 * flagged) / readings).toFixed(2)} %`;
      expect(section).toContain(
        `<tr><td>${id}</td><td class="num">${readings}</td><td class="num">${flagged}</td><td class="num">${rate}</td></tr>`,
      );
    }
    expect(section).not.toContain('carry no building id');
    // Every flagged reading was explained as it was logged; the report says which feature led most of them.
    const flaggedTotal = [...expected.values()].reduce((n, b) => n + b.flagged, 0);
    expect(html).toMatch(new RegExp(`<b>What drove the flags:</b> \\w+ drove \\d+ % of the ${flaggedTotal} explained flags\\.`));
  }, 120_000);
});
