import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { createRng } from '../../src-main/core/data/rng';
import { explanationSummary } from '../../src-main/backend/report/explanation-log';
import { startTestWorker, tempDir } from '../helpers/backend';

/**
 * Explanation logging for contextual versions: each flagged reading's top
 * contributions are logged with the member that raised it and its building,
 * and summarised per week. Known answer: in the scored fortnight only
 * lights_kw is faulty in the first week and only hvac_kw in the second.
 */
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1); // a Monday
let host: WorkerHost;
let dir = '';
let registry = '';

function csv(name: string, startHour: number, hours: number, fault: (b: string, h: number) => 'hvac' | 'lights' | null): string {
  const rng = createRng(startHour + 1);
  const lines = ['building_id,timestamp,hvac_kw,lights_kw'];
  for (const b of ['b1', 'b2']) {
    for (let h = startHour; h < startHour + hours; h++) {
      const hod = h % 24;
      const dow = Math.floor(h / 24) % 7;
      const open = dow < 5 && hod >= 8 && hod < 18;
      const size = b === 'b2' ? 1.5 : 1;
      const wiggle = 1 + 0.01 * rng.normal();
      let hvac = size * (open ? 40 : 12) * wiggle;
      let lights = size * (open ? 20 : 3) * wiggle;
      const f = fault(b, h);
      if (f === 'hvac') hvac *= 3;
      if (f === 'lights') lights *= 4;
      lines.push(`${b},${new Date(T0 + h * HOUR).toISOString()},${hvac.toFixed(3)},${lights.toFixed(3)}`);
    }
  }
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

beforeAll(async () => {
  dir = tempDir('gl-ctx-expl-');
  registry = join(dir, 'registry');
  host = startTestWorker(registry);
  const train = (await host.call('data.import', { path: csv('train.csv', 0, 6 * 168, () => null) })).id;
  await host.call('model.train', { algorithm: 'contextual', datasetId: train });
}, 60_000);

afterAll(async () => {
  await host.close();
});

describe('contextual explanation log', () => {
  it('logs the top contributions of each flag and summarises them per week', async () => {
    const start = 6 * 168;
    // Faults on open hours of Tuesday–Thursday: lights in the first scored week, HVAC in the second.
    const fault = (_b: string, h: number): 'hvac' | 'lights' | null => {
      const k = h - start;
      const hod = h % 24;
      if (hod !== 11 || k % 168 < 24 || k % 168 >= 96) return null;
      return k < 168 ? 'lights' : 'hvac';
    };
    const datasetId = (await host.call('data.import', { path: csv('score.csv', start, 2 * 168, fault) })).id;
    const scored = await host.call('model.score', { datasetId });
    const lines = readFileSync(join(registry, 'predictions', 'explanations.ndjson'), 'utf8')
      .trim()
      .split('\n');
    const line = JSON.parse(lines.at(-1)!) as { flags: Array<[number, Array<[string, number]>, string, string | null]> };
    expect(line.flags).toHaveLength(scored.anomalies);
    const byTime = new Map(line.flags.map((f) => [`${f[3]}@${f[0]}`, f]));
    let faults = 0;
    for (const b of ['b1', 'b2']) {
      for (let h = start; h < start + 2 * 168; h++) {
        const f = fault(b, h);
        if (!f) continue;
        faults++;
        // Every faulty reading is flagged and explained by the meter that was faulty.
        const logged = byTime.get(`${b}@${T0 + h * HOUR}`);
        expect(logged?.[1][0]).toEqual([f === 'lights' ? 'lights_kw' : 'hvac_kw', expect.closeTo(1, 1)]);
      }
    }
    expect(faults).toBe(12);
    for (const [, top, member, building] of line.flags) {
      expect(top.reduce((a, [, v]) => a + v, 0)).toBeLessThanOrEqual(1.0001);
      expect(['residual', 'sustained', 'rules', 'forest']).toContain(member);
      expect(['b1', 'b2']).toContain(building);
    }
    const s = await host.call('predictions.explanations', { model: scored.model });
    expect(s.flagged).toBe(scored.anomalies);
    expect(s.weeks?.map((w) => [new Date(w.weekStart).toISOString().slice(0, 10), w.feature])).toEqual([
      ['2024-02-12', 'lights_kw'],
      ['2024-02-19', 'hvac_kw'],
    ]);
    expect(s.weeks?.reduce((a, w) => a + w.flagged, 0)).toBe(scored.anomalies);
    expect(Object.values(s.members ?? {}).reduce((a, b) => a + b, 0)).toBe(scored.anomalies);

    // The report carries the version's importance and the weekly drivers.
    const out = join(dir, 'report.html');
    await host.call('report.build', { path: out });
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<section id="importance"><h2>Feature importance</h2>');
    expect(html).toContain(`<th class="num">Attribution ${scored.version}</th>`);
    expect(html).toContain(`<b>Week by week:</b> ${s.weeks!.at(-1)!.sentence.replace(/'/g, '&#39;')}`);
    expect(html).toMatch(/<td>2024-02-12<\/td><td class="num">\d+<\/td><td>lights_kw<\/td>/);
  });

  it('the weekly summary of a crafted log: known shares and sentences, old two-element lines included', async () => {
    const file = join(dir, 'crafted', 'predictions', 'explanations.ndjson');
    mkdirSync(join(dir, 'crafted', 'predictions'), { recursive: true });
    const mon = Date.UTC(2024, 2, 4); // a Monday
    const lines = [
      // An old forest line: two elements per flag, no member.
      {
        requestId: 'a',
        model: 'm',
        version: '1.0.0',
        time: 0,
        flags: [
          [
            mon + HOUR,
            [
              ['hvac_kw', 0.7],
              ['temp', 0.3],
            ],
          ],
        ],
      },
      {
        requestId: 'b',
        model: 'm',
        version: '1.0.1',
        time: 0,
        flags: [
          [mon + 50 * HOUR, [['hvac_kw', 1]], 'rules', 'b1'],
          [
            mon + 6 * 24 * HOUR + 23 * HOUR,
            [
              ['lights_kw', 0.9],
              ['hvac_kw', 0.1],
            ],
            'residual',
            'b2',
          ],
          [mon + 7 * 24 * HOUR, [['lights_kw', 1]], 'residual', 'b2'],
        ],
      },
      { requestId: 'c', model: 'other', version: '1.0.0', time: 0, flags: [[mon, [['x', 1]]]] },
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const s = await explanationSummary(join(dir, 'crafted'), 'm');
    expect(s.flagged).toBe(4);
    expect(s.members).toEqual({ rules: 1, residual: 2 });
    expect(s.weeks).toEqual([
      {
        weekStart: mon,
        flagged: 3,
        feature: 'hvac_kw',
        leadingShare: 2 / 3,
        sentence: "hvac_kw drove 67 % of the week's flags (week of 2024-03-04, 3 flags).",
      },
      {
        weekStart: mon + 7 * 24 * HOUR,
        flagged: 1,
        feature: 'lights_kw',
        leadingShare: 1,
        sentence: "lights_kw drove 100 % of the week's flags (week of 2024-03-11, 1 flag).",
      },
    ]);
  });
});
