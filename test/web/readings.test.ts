import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from '../../src-main/backend/host/router';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { PredictionLog } from '../../src-main/core/monitoring';
import { startWebServer, type WebServer } from '../../src-main/web/server';
import { openUploads, type Uploads } from '../../src-main/web/uploads';
import { memorySettings, startTestWorker, tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

let worker: WorkerHost;
let uploads: Uploads;
let web: WebServer;
let registry = '';

const reading = {
  outdoor_temp_c: 21.5,
  humidity_pct: 40,
  occupancy: 120,
  hvac_kw: 35.2,
  lighting_kw: 8.1,
  plug_load_kw: 6.4,
  total_kw: 49.7,
};

beforeAll(async () => {
  registry = join(tempDir('gl-readings-'), 'registry');
  worker = startTestWorker(registry);
  const ds = await worker.call('data.simulate', { buildings: 2, days: 7, seed: 3 });
  await worker.call('model.train', { datasetId: ds.id, trees: 30, algorithm: 'isolation-forest' });
  const router = new Router({ worker, settings: memorySettings(), transport: 'web', version: 'test' });
  uploads = await openUploads(tempDir('gl-upload-'));
  web = await startWebServer({ router, staticDir: tempDir('gl-static-'), uploads, maxUploadBytes: () => 1024 });
}, 120_000);

afterAll(async () => {
  await web?.close();
  await worker?.close();
});

function post(body: string, headers: Record<string, string> = {}, query = ''): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: web.port,
        path: `/api/readings${query}`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-greenlens-token': web.token, ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function logged(): Promise<number> {
  const log = await PredictionLog.open(join(registry, 'predictions'));
  const n = log.count();
  await log.close();
  return n;
}

describe('POST /api/readings', () => {
  it('scores one reading and answers with the result object, logged before the answer', async () => {
    const before = await logged();
    const r = await post(JSON.stringify({ ...reading, timestamp: 1_735_689_600, building_id: 'B01' }));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      timestamp: '2025-01-01T00:00:00.000Z',
      building_id: 'B01',
      anomaly_score: expect.any(Number),
      is_anomaly: expect.any(Boolean),
      model: 'energy-anomaly',
      version: '1.0.0',
    });
    const score = (r.body as { anomaly_score: number }).anomaly_score;
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThanOrEqual(1);
    expect(await logged()).toBe(before + 1);
  });

  it('answers an array in its shape, with each rejected reading replaced by its error', async () => {
    const before = await logged();
    const { hvac_kw: _omitted, ...noHvac } = reading;
    const r = await post(JSON.stringify([{ ...reading, timestamp: '2025-01-01T01:00:00Z' }, noHvac, { ...reading, total_kw: 'n/a' }]));
    expect(r.status).toBe(200);
    const items = r.body as Record<string, unknown>[];
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ timestamp: '2025-01-01T01:00:00.000Z', building_id: null, model: 'energy-anomaly' });
    expect(items[1]).toEqual({ error: 'reading 1: "hvac_kw" is missing' });
    expect(items[2]).toEqual({ error: 'reading 2: "total_kw" is not a number ("n/a")' });
    expect(await logged()).toBe(before + 1);
  });

  it('refuses a payload with no scorable reading (400 naming the field), bad JSON, and a missing token', async () => {
    const none = await post(JSON.stringify({ total_kw: 3 }));
    expect(none.status).toBe(400);
    expect((none.body as { error: { message: string } }).error.message).toMatch(/^No reading could be scored: "outdoor_temp_c" is missing/);
    const junk = await post('{"a": ');
    expect(junk.status).toBe(400);
    const noToken = await post(JSON.stringify(reading), { 'x-greenlens-token': 'wrong' });
    expect(noToken.status).toBe(401);
    const unknownModel = await post(JSON.stringify(reading), {}, '?model=nope');
    expect(unknownModel.status).toBe(404);
  });

  it('listens on loopback only unless serve --listen names an address', () => {
    expect(web.url.startsWith('http://127.0.0.1:')).toBe(true);
    const bad = runCli(['serve', '--listen', 'my-host.local']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--listen must be an IP address');
  });
});
