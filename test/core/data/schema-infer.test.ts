import { describe, expect, it } from 'vitest';
import { inferSchema, isIdName, isLabelName, SchemaOverrideError } from '../../../src-main/core/data/schema-infer';

function byName(columns: ReturnType<typeof inferSchema>): Record<string, { type: string; role: string; kind: string | null }> {
  return Object.fromEntries(columns.map((c) => [c.name, { type: c.type, role: c.role, kind: c.kind }]));
}

const header = ['ts', 'building_id', 'temp', 'kw', 'is_anomaly', 'anomaly_type', 'comment'];
const rows = Array.from({ length: 200 }, (_, i) => [
  `2025-01-06T${String(i % 24).padStart(2, '0')}:00:00Z`,
  `B0${i % 3}`,
  String(10 + (i % 7) * 0.5),
  String(i * 1.25),
  i % 50 === 0 ? '1' : '0',
  i % 50 === 0 ? 'spike' : 'none',
  `free text note number ${i} with details`,
]);

describe('inferSchema', () => {
  it('finds timestamp, id, features, label, a kept category and dropped text', () => {
    expect(byName(inferSchema(header, rows))).toEqual({
      ts: { type: 'timestamp', role: 'timestamp', kind: 'time' },
      building_id: { type: 'id', role: 'id', kind: 'category' },
      temp: { type: 'number', role: 'feature', kind: 'number' },
      kw: { type: 'number', role: 'feature', kind: 'number' },
      is_anomaly: { type: 'label', role: 'label', kind: 'number' },
      anomaly_type: { type: 'category', role: 'ignored', kind: 'category' },
      comment: { type: 'text', role: 'ignored', kind: null },
    });
  });

  it('takes repeated text as the id when no column is named like one, but never a label-like column', () => {
    const s = byName(
      inferSchema(
        ['fault_type', 'site_name_x', 'v'],
        [
          ['none', 'North', '1'],
          ['spike', 'South', '2'],
          ['none', 'North', '3'],
        ],
      ),
    );
    expect(s.fault_type).toMatchObject({ type: 'category', role: 'ignored' });
    expect(s.site_name_x).toMatchObject({ type: 'id', role: 'id' });
  });

  it('treats numeric id-named columns as ids and true/false label columns as labels', () => {
    const s = byName(
      inferSchema(
        ['meter', 'reading', 'label'],
        [
          ['1', '5.5', 'true'],
          ['2', '6', 'FALSE'],
        ],
      ),
    );
    expect(s.meter).toMatchObject({ type: 'id', kind: 'category' });
    expect(s.reading).toMatchObject({ role: 'feature' });
    expect(s.label).toMatchObject({ role: 'label', kind: 'number' });
  });

  it('keeps a label-named column with other values as a feature', () => {
    expect(byName(inferSchema(['y'], [['3.5'], ['7']])).y).toMatchObject({ type: 'number', role: 'feature' });
  });

  it('tolerates a few non-numeric or missing cells in a numeric column', () => {
    const sample = Array.from({ length: 100 }, (_, i) => [i === 5 ? 'error' : i === 6 ? '' : String(i)]);
    expect(inferSchema(['v'], sample)[0]).toMatchObject({ type: 'number', role: 'feature' });
  });

  it('keeps a mostly numeric column with a few error tokens numeric, but not a true category', () => {
    const s = byName(
      inferSchema(
        ['a', 'b'],
        [
          ['1', 'low'],
          ['ERR', 'high'],
          ['3', '2'],
          ['-', 'mid'],
        ],
      ),
    );
    expect(s.a).toMatchObject({ type: 'number', role: 'feature' });
    expect(s.b!.type).not.toBe('number');
  });

  it('gives only the first timestamp the timestamp role', () => {
    const s = byName(inferSchema(['start', 'end', 'v'], [['2025-01-01', '2025-01-02', '1']]));
    expect(s.start!.role).toBe('timestamp');
    expect(s.end).toMatchObject({ role: 'ignored', kind: 'time' });
  });

  it('applies user roles and kinds; a chosen timestamp/label/id replaces the inferred one', () => {
    const s = byName(
      inferSchema(header, rows, {
        roles: { kw: 'label', anomaly_type: 'feature', comment: 'id' },
        kinds: { temp: 'category' },
      }),
    );
    expect(s.kw).toMatchObject({ role: 'label', kind: 'number' });
    expect(s.is_anomaly).toMatchObject({ role: 'ignored', kind: 'number' });
    expect(s.anomaly_type).toMatchObject({ role: 'feature', kind: 'category' });
    expect(s.comment).toMatchObject({ role: 'id', kind: 'category' });
    expect(s.building_id).toMatchObject({ role: 'ignored', kind: 'category' });
    expect(s.temp).toMatchObject({ role: 'feature', kind: 'category' });
  });

  it('rejects overrides for unknown columns or roles', () => {
    expect(() => inferSchema(header, rows, { roles: { nope: 'feature' } })).toThrow(SchemaOverrideError);
    expect(() => inferSchema(header, rows, { roles: { ts: 'weird' as 'feature' } })).toThrow(/unknown role/);
    expect(() => inferSchema(header, rows, { roles: { temp: 'label', kw: 'label' } })).toThrow(/only one column/);
  });
});

describe('name patterns', () => {
  it('recognises id and label names', () => {
    for (const n of ['id', 'building_id', 'buildingId', 'Building', 'meter', 'site_name', 'sensor']) expect(isIdName(n), n).toBe(true);
    for (const n of ['meter_reading', 'valid', 'paid', 'building_area', 'idle_kw']) expect(isIdName(n), n).toBe(false);
    for (const n of ['is_anomaly', 'anomaly', 'label', 'target', 'y', 'Is Anomaly']) expect(isLabelName(n), n).toBe(true);
    for (const n of ['anomaly_type', 'year', 'labels_text']) expect(isLabelName(n), n).toBe(false);
  });
});

describe('inferSchema: Unix epoch timestamps', () => {
  const start = Date.UTC(2026, 10, 1) / 1000;
  const epochRows = (scale: number) => Array.from({ length: 48 }, (_, i) => [String((start + i * 3600) * scale), String(20 + (i % 5))]);

  it('takes epoch seconds or milliseconds in a time-named column as the timestamp, never a feature', () => {
    for (const [name, scale, unit] of [
      ['timestamp', 1, 'seconds'],
      ['ts', 1000, 'milliseconds'],
      ['epoch', 1, 'seconds'],
      ['time_ms', 1000, 'milliseconds'],
      ['unix_time', 1, 'seconds'],
    ] as const) {
      const [c] = inferSchema([name, 'kw'], epochRows(scale));
      expect(c, name).toMatchObject({
        type: 'timestamp',
        role: 'timestamp',
        kind: 'time',
        reason: `Unix epoch ${unit} (time-like name, values in 2000–2100)`,
      });
    }
  });

  it('leaves numbers alone when the name or the magnitude does not fit', () => {
    expect(inferSchema(['kw', 'x'], epochRows(1))[0]).toMatchObject({ type: 'number', role: 'feature' });
    // A time-like name with values that are not epoch times (e.g. hours of the day).
    expect(
      inferSchema(
        ['time', 'x'],
        [
          ['1', '2'],
          ['13', '3'],
        ],
      )[0],
    ).toMatchObject({ type: 'number', role: 'feature' });
  });
});
