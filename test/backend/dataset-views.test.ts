import { afterEach, describe, expect, it } from 'vitest';
import { DatasetStore } from '../../src-main/backend/datasets';
import { SIMULATED_ROLES } from '../../src-main/backend/handlers/data';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { summarizeTable } from '../../src-main/core/data/summary';
import { DEFAULT_START, simulate } from '../../src-main/core/data/simulator';
import { startTestWorker } from '../helpers/backend';

let host: WorkerHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

describe('dataset info views', () => {
  it('computes summary, preview and chart only when read, once, in the fields order the app always had', async () => {
    const table = simulate({ buildings: 2, days: 3, seed: 5, anomalyRate: 0.01, drift: 'none', start: DEFAULT_START });
    const info = (
      await new DatasetStore({ lazyViews: true }).add(
        { name: 'sim', source: 'simulated', table, roles: SIMULATED_ROLES, sourceFile: null, options: {} },
        null,
      )
    ).info;
    expect(Object.keys(info)).toEqual([
      'id',
      'name',
      'source',
      'rows',
      'columns',
      'summary',
      'preview',
      'chart',
      'labelledAnomalies',
      'createdAt',
      'sourceFile',
      'stored',
    ]);
    // Nothing computed yet: a request that needs only the id (greenlens score) pays for none of it.
    expect(Object.getOwnPropertyDescriptor(info, 'summary')?.get).toBeTypeOf('function');
    const first = info.summary;
    expect(first).toEqual(summarizeTable(table, SIMULATED_ROLES));
    expect(info.summary).toBe(first);
    expect(Object.getOwnPropertyDescriptor(info, 'summary')?.value).toBe(first);
    expect(info.preview.rows).toHaveLength(50);
  });

  it('still reaches the app in full through the worker (structured clone reads every field)', async () => {
    host = startTestWorker();
    const info = await host.call('data.simulate', { buildings: 2, days: 3, seed: 5 });
    expect(info.summary.map((s) => s.name)).toEqual(info.columns.map((c) => c.name));
    expect(info.preview.header).toEqual(info.columns.map((c) => c.name));
    expect(info.preview.rows).toHaveLength(50);
    expect(info.chart.column).toBe('total_kw');
    expect(info.chart.series.length).toBe(2);
  });
});
