import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../../../src-main/contract/shared/dashboards';
import { dashboardsPath, readDashboards, writeDashboards } from '../../../src-main/core/dashboards/store';
import { exportRegistry, importRegistry } from '../../../src-main/core/registry/archive';
import { verifyRegistry } from '../../../src-main/core/registry/verify';
import { buildFixture } from '../../backend/monitoring-fixture';
import { tempDir } from '../../helpers/backend';

const BOARD: Dashboard = {
  id: 'main',
  name: 'Main',
  charts: [
    { id: 'a', metric: 'anomaly-rate', model: 'energy-anomaly', building: null, window: { lastN: 10_000 } },
    { id: 'b', metric: 'latency-p95', model: 'energy-anomaly', building: null, window: { lastN: 1_000 } },
  ],
};

describe('dashboards.json', () => {
  it('a registry without the file has one empty dashboard; a save reads back in its order', async () => {
    const dir = tempDir('gl-dash-');
    expect((await readDashboards(dir)).dashboards).toEqual([{ id: 'main', name: 'Main', charts: [] }]);
    const saved = await writeDashboards(dir, [BOARD], new Date('2026-11-30T12:00:00Z'));
    expect(saved.updatedAt).toBe('2026-11-30T12:00:00.000Z');
    expect(await readDashboards(dir)).toEqual(saved);
    const moved = { ...BOARD, charts: [BOARD.charts[1]!, BOARD.charts[0]!] };
    await writeDashboards(dir, [moved]);
    expect((await readDashboards(dir)).dashboards[0]!.charts.map((c) => c.id)).toEqual(['b', 'a']);
    // Atomic: no temp file left beside it.
    expect(readdirSync(dir)).toEqual(['dashboards.json']);
  });

  it('refuses a bad file naming the file and the field, and leaves what is on disk alone', async () => {
    const dir = tempDir('gl-dash-bad-');
    await writeDashboards(dir, [BOARD]);
    const before = readFileSync(dashboardsPath(dir), 'utf8');
    const dup = { ...BOARD, charts: [BOARD.charts[0]!, BOARD.charts[0]!] };
    await expect(writeDashboards(dir, [dup])).rejects.toThrow(`${dashboardsPath(dir)}: dashboards[0].charts[1].id "a" is used twice.`);
    expect(readFileSync(dashboardsPath(dir), 'utf8')).toBe(before);
    const doc = JSON.parse(before) as { dashboards: Array<{ charts: Array<{ metric: string }> }> };
    doc.dashboards[0]!.charts[0]!.metric = 'temperature';
    writeFileSync(dashboardsPath(dir), JSON.stringify(doc));
    await expect(readDashboards(dir)).rejects.toThrow(
      `${dashboardsPath(dir)}: dashboards[0].charts[0].metric must be one of anomaly-rate, anomalies, predictions, latency-p95, drifted-share.`,
    );
  });

  it('travels with an exported registry, and registry verify reports a damaged one', async () => {
    const root = tempDir('gl-dash-reg-');
    const dir = join(root, 'reg');
    // A registry with a version: an empty registry's archive does not import today (its empty models/ folder is refused).
    await buildFixture(dir, { buildings: 2, days: 7, trees: 5 });
    await writeDashboards(dir, [BOARD]);
    const archive = join(root, 'reg.greenlens');
    await exportRegistry(dir, archive);
    const target = join(root, 'copy');
    await importRegistry(archive, target);
    expect((await readDashboards(target)).dashboards).toEqual([BOARD]);
    expect((await verifyRegistry(target)).problems).toEqual([]);
    writeFileSync(dashboardsPath(target), '{"format": "greenlens-dashboards", ');
    const verify = await verifyRegistry(target);
    expect(verify.ok).toBe(false);
    expect(verify.problems.map((p) => p.file)).toEqual([dashboardsPath(target)]);
    expect(verify.problems[0]!.message).toMatch(/is not valid JSON/);
  });
});
