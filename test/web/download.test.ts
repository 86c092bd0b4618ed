import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from '../../src-main/backend/host/router';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { createPathGuard } from '../../src-main/web/path-guard';
import { startWebServer, type WebServer } from '../../src-main/web/server';
import { openUploads, type Uploads } from '../../src-main/web/uploads';
import { memorySettings, startTestWorker, tempDir } from '../helpers/backend';

/** Web mode's downloads: an op writes into the private uploads folder and the file comes back as the response. */
let worker: WorkerHost;
let web: WebServer;
let uploads: Uploads;
let datasetId: string;
let scored: { rows: number; anomalies: number; top: Array<{ row: number }> };
let registry: string;

beforeAll(async () => {
  registry = tempDir('gl-dl-registry-');
  worker = startTestWorker(registry);
  uploads = await openUploads(tempDir('gl-dl-upload-'));
  const checkInput = createPathGuard(() => [registry, uploads.dir]);
  const router = new Router({ worker, settings: memorySettings(), transport: 'web', version: 'test', checkInput });
  const staticDir = tempDir('gl-dl-static-');
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>GreenLens</title>');
  web = await startWebServer({ router, staticDir, uploads });
  const ds = (await worker.call('data.simulate', { buildings: 2, days: 10, seed: 5 })) as { id: string };
  datasetId = ds.id;
  await worker.call('model.train', { algorithm: 'isolation-forest', datasetId, trees: 20, contamination: 0.05 });
  scored = (await worker.call('model.score', { datasetId })) as typeof scored;
}, 120_000);

afterAll(async () => {
  await web.close();
  await worker.close();
});

async function download(op: string, input: unknown, name: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${web.port}/api/download`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-greenlens-token': web.token },
    body: JSON.stringify({ op, input, name }),
  });
}

function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

describe('web mode downloads', () => {
  it('scored rows: every row, or only the flagged ones, as an attachment; nothing left behind', async () => {
    const all = await download('model.score', { datasetId, log: false }, 'scored.csv');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-disposition')).toBe('attachment; filename="scored.csv"');
    const rows = csvRows(await all.text());
    expect(rows.length - 1).toBe(scored.rows);
    const flaggedRes = await download('model.score', { datasetId, log: false, outRows: 'flagged' }, 'flagged readings.csv');
    expect(flaggedRes.headers.get('content-disposition')).toBe('attachment; filename="flagged_readings.csv"');
    const flagged = csvRows(await flaggedRes.text());
    const flagAt = flagged[0]!.indexOf('is_anomaly');
    expect(flagAt).toBeGreaterThan(0);
    // The same model on the same rows: exactly the readings the logged scoring flagged, more than the 200 a table shows is fine.
    expect(flagged.length - 1).toBe(scored.anomalies);
    expect(flagged.slice(1).every((r) => r[flagAt] === '1')).toBe(true);
    expect(readdirSync(uploads.dir)).toEqual([]);
  });

  it('flagged readings from the prediction log (log:false scoring above logged nothing more)', async () => {
    const res = await download('predictions.export', { rows: 'flagged' }, 'log-flagged.csv');
    expect(res.status).toBe(200);
    const rows = csvRows(await res.text());
    expect(rows[0]!.slice(0, 6)).toEqual(['timestamp', 'version', 'building', 'anomaly_score', 'is_anomaly', 'label']);
    expect(rows.length - 1).toBe(scored.anomalies);
    const every = csvRows(await (await download('predictions.export', { rows: 'all' }, 'log.csv')).text());
    expect(every.length - 1).toBe(scored.rows);
    // One building's readings: exactly the rows of the full export that name it.
    const b01 = csvRows(await (await download('predictions.export', { rows: 'all', building: 'B01' }, 'b01.csv')).text());
    expect(b01.length - 1).toBe(every.filter((r) => r[2] === 'B01').length);
    expect(b01.length - 1).toBeGreaterThan(0);
    expect(b01.slice(1).every((r) => r[2] === 'B01')).toBe(true);
    expect(csvRows(await (await download('predictions.export', { rows: 'all', building: 'nowhere' }, 'x.csv')).text())).toHaveLength(1);
  });

  it('the report as an HTML attachment', async () => {
    const res = await download('report.build', {}, 'greenlens-report.html');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    for (const id of ['health', 'drift', 'performance', 'buildings', 'versions', 'alerts']) expect(html).toContain(`<section id="${id}">`);
  });

  it('refuses an op that writes no file, and passes on an op’s own error', async () => {
    const res = await download('registry.verify', {}, 'x.csv');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('registry.verify cannot be downloaded.');
    const missing = await download('model.score', { datasetId: 'nope', log: false }, 'x.csv');
    const body = (await missing.json()) as { ok: boolean; error: { code: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('not_found');
  });
});

describe('buildings.fleet', () => {
  it('ranks the buildings of the logged readings with the flagged counts the scored file has, and a drift score each', async () => {
    const rows = csvRows(await (await download('model.score', { datasetId, log: false }, 'all.csv')).text());
    const [header, ...body] = rows;
    const id = header!.indexOf('building_id');
    const flag = header!.indexOf('is_anomaly');
    const expected = new Map<string, { readings: number; anomalies: number }>();
    for (const r of body) {
      const e = expected.get(r[id]!) ?? { readings: 0, anomalies: 0 };
      e.readings++;
      e.anomalies += Number(r[flag]);
      expected.set(r[id]!, e);
    }
    const fleet = (await worker.call('buildings.fleet', {})) as {
      buildings: Array<{ id: string; readings: number; anomalies: number; driftScore: number | null }>;
      unknownReadings: number;
    };
    expect(fleet.unknownReadings).toBe(0);
    expect(new Map(fleet.buildings.map((b) => [b.id, { readings: b.readings, anomalies: b.anomalies }]))).toEqual(expected);
    const counts = fleet.buildings.map((b) => b.anomalies);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    for (const b of fleet.buildings) expect(b.driftScore).toBeGreaterThanOrEqual(0);
  });
});

describe('explanation logging', () => {
  it('stores the top contributions of every flagged reading, as model.explain ranks them, and says which feature drove the flags', async () => {
    const lines = readFileSync(join(registry, 'predictions', 'explanations.ndjson'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { flags: Array<[number, Array<[string, number]>]> };
    expect(entry.flags).toHaveLength(scored.anomalies);
    // The highest-scoring reading: its logged top contribution is what model.explain puts first.
    const rows = csvRows(await (await download('model.score', { datasetId, log: false }, 'all.csv')).text());
    const flag = rows[0]!.indexOf('is_anomaly');
    const flaggedRows = rows
      .slice(1)
      .map((r, i) => (r[flag] === '1' ? i : -1))
      .filter((i) => i >= 0);
    const best = scored.top[0]!.row;
    const explained = (await worker.call('model.explain', { datasetId, row: best, topK: 3 })) as {
      contributions: Array<{ feature: string; share: number }>;
    };
    const logged = entry.flags[flaggedRows.indexOf(best)]![1];
    expect(logged.map((c) => c[0])).toEqual(explained.contributions.map((c) => c.feature));
    logged.forEach((c, k) => expect(c[1]).toBeCloseTo(explained.contributions[k]!.share, 4));

    const summary = (await worker.call('predictions.explanations', {})) as {
      flagged: number;
      features: Array<{ feature: string; leading: number; leadingShare: number }>;
      sentence: string;
    };
    expect(summary.flagged).toBe(scored.anomalies);
    const leading = new Map<string, number>();
    for (const [, top] of entry.flags) leading.set(top[0]![0], (leading.get(top[0]![0]) ?? 0) + 1);
    expect(new Map(summary.features.filter((f) => f.leading > 0).map((f) => [f.feature, f.leading]))).toEqual(leading);
    const first = summary.features[0]!;
    expect(summary.sentence).toBe(
      `${first.feature} drove ${Math.round((100 * first.leading) / scored.anomalies)} % of the ${scored.anomalies} explained flags.`,
    );
  });
});

describe('feature importance per version', () => {
  it('is stored with the version at train time: attribution shares summing to 1 and a permutation importance per feature', async () => {
    const meta = (await worker.call('versions.show', { version: '1.0.0' })) as {
      metrics: Record<string, number | null>;
      params: Record<string, unknown>;
    };
    const features = meta.params.features as string[];
    const shares = features.map((f) => meta.metrics[`importance_${f}`]);
    expect(shares.every((v) => typeof v === 'number' && v >= 0)).toBe(true);
    expect(shares.reduce<number>((a, b) => a + (b ?? 0), 0)).toBeCloseTo(1, 4);
    for (const f of features) expect(meta.metrics[`permutationImportance_${f}`]).toBeGreaterThanOrEqual(0);
  });
});
