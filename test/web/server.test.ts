import { existsSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from '../../src-main/backend/host/router';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { createPathGuard } from '../../src-main/web/path-guard';
import { startWebServer, type WebServer } from '../../src-main/web/server';
import { openUploads, type Uploads } from '../../src-main/web/uploads';
import { memorySettings, startTestWorker, tempDir } from '../helpers/backend';

let worker: WorkerHost;
let web: WebServer;
/** The folders the web host lets requests reach, and one outside them. */
let allowedDir: string;
let uploadDir: string;
let outsideDir: string;
let uploads: Uploads;

beforeAll(async () => {
  worker = startTestWorker();
  allowedDir = tempDir('gl-allowed-');
  uploads = await openUploads(tempDir('gl-upload-base-'));
  uploadDir = uploads.dir;
  outsideDir = tempDir('gl-outside-');
  const checkInput = createPathGuard(() => [allowedDir, uploadDir]);
  const router = new Router({ worker, settings: memorySettings(), transport: 'web', version: 'test', checkInput });
  const staticDir = tempDir('gl-static-');
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>GreenLens</title>');
  web = await startWebServer({ router, staticDir, uploads, maxUploadBytes: () => 1024 });
});

afterAll(async () => {
  await web.close();
  await worker.close();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request, so Host and Origin can be anything a hostile page might send. */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

function api(op: string, input: unknown): Promise<Reply> {
  return raw('/api/call', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-greenlens-token': web.token },
    body: JSON.stringify({ op, input }),
  });
}

describe('web mode host', () => {
  it('binds 127.0.0.1 only', () => {
    expect((web.server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('refuses API requests without the token, or with a wrong one', async () => {
    const none = await raw('/api/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.message).toMatch(/token/);
    const wrong = await raw('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-greenlens-token': 'nope' },
      body: '{}',
    });
    expect(wrong.status).toBe(401);
  });

  it('refuses a wrong Host header (DNS rebinding) even with the token', async () => {
    const r = await raw(`/?token=${web.token}`, { headers: { Host: `evil.example:${web.port}` } });
    expect(r.status).toBe(421);
  });

  it('refuses a foreign Origin', async () => {
    const r = await raw('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-greenlens-token': web.token, Origin: 'http://evil.example' },
      body: JSON.stringify({ op: 'app.ping', input: {} }),
    });
    expect(r.status).toBe(403);
  });

  it('serves the renderer with the CSP and never hands the token out as a cookie', async () => {
    const r = await raw(`/?token=${web.token}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>GreenLens</title>');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['set-cookie']).toBeUndefined();
    // A reload after the page dropped ?token= still gets the (secret-free) renderer.
    expect((await raw('/')).status).toBe(200);
    const traversal = await raw(`/..%2f..%2fetc%2fpasswd?token=${web.token}`);
    expect(traversal.status).toBeGreaterThanOrEqual(403);
  });

  it('accepts the token only from the header (the events stream alone also from its URL)', async () => {
    const call = (path: string, headers: Record<string, string>) =>
      raw(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ op: 'app.ping', input: {} }),
      });
    // A cookie is what another server on 127.0.0.1 could have been sent and replay.
    expect((await call('/api/call', { Cookie: `greenlens_token=${web.token}` })).status).toBe(401);
    expect((await call(`/api/call?token=${web.token}`, {})).status).toBe(401);
    expect((await call('/api/call', { 'x-greenlens-token': web.token })).status).toBe(200);
    const events = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: web.port, path: `/api/events?token=${web.token}` }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.end();
    });
    expect(events).toBe(200);
    expect((await raw('/api/events')).status).toBe(401);
  });

  it('answers a malformed % in a path with 400, and cuts echoed values to 200 characters', async () => {
    const bad = await raw('/assets/%E0%A4%A.js');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ code: 'invalid_input', message: 'Malformed path: /assets/%E0%A4%A.js' });
    expect((await raw('/api/%zz')).status).toBe(400);
    const long = 'x'.repeat(1_000_000);
    const missing = JSON.parse((await api('data.get', { datasetId: long })).body);
    expect(missing.ok).toBe(false);
    expect(missing.error.message.length).toBeLessThan(600);
    expect(missing.error.message).toMatch(/x{199}… \(100000\d characters\)/);
    const notFound = await raw(`/${'y'.repeat(5000)}`);
    expect(notFound.status).toBe(404);
    expect(notFound.body.length).toBeLessThan(600);
  });

  it('confines file paths of requests to the allowed folders', async () => {
    const csv = 'time,kwh\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,2\n';
    writeFileSync(join(uploadDir, 'ok.csv'), csv);
    writeFileSync(join(outsideDir, 'secret.csv'), csv);
    const inside = JSON.parse((await api('data.preview', { path: join(uploadDir, 'ok.csv') })).body);
    expect(inside.ok).toBe(true);
    for (const [op, input, field] of [
      ['data.preview', { path: join(outsideDir, 'secret.csv') }, 'path'],
      ['data.preview', { path: '/etc/passwd' }, 'path'],
      ['data.import', { path: join(uploadDir, '..', 'x', 'secret.csv') }, 'path'],
      ['registry.create', { path: join(outsideDir, 'reg') }, 'path'],
      ['registry.open', { path: outsideDir }, 'path'],
      ['registry.export', { archive: join(outsideDir, 'r.greenlens') }, 'archive'],
      ['registry.import', { archive: join(uploadDir, 'a.greenlens'), target: join(outsideDir, 'r') }, 'target'],
      ['model.score', { datasetId: 'd', out: join(outsideDir, 'scored.csv') }, 'out'],
      ['drift.report', { current: { path: join(outsideDir, 'secret.csv') } }, 'current.path'],
    ] as const) {
      const r = JSON.parse((await api(op, input)).body);
      expect(r, `${op} ${field}`).toMatchObject({ ok: false, error: { code: 'unauthorized', field } });
    }
    // A link inside an allowed folder must not lead out of it.
    symlinkSync(outsideDir, join(allowedDir, 'link'));
    const viaLink = JSON.parse((await api('data.preview', { path: join(allowedDir, 'link', 'secret.csv') })).body);
    expect(viaLink).toMatchObject({ ok: false, error: { code: 'unauthorized', field: 'path' } });
    const relative = JSON.parse((await api('data.preview', { path: 'secret.csv' })).body);
    expect(relative).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'path' } });
    // An export outside is refused before anything is written.
    const sim = JSON.parse((await api('data.simulate', { buildings: 1, days: 1 })).body);
    const exported = JSON.parse((await api('data.exportCsv', { datasetId: sim.value.id, path: join(outsideDir, 'bashrc') })).body);
    expect(exported).toMatchObject({ ok: false, error: { code: 'unauthorized', field: 'path' } });
    expect(existsSync(join(outsideDir, 'bashrc'))).toBe(false);
    const allowedExport = JSON.parse((await api('data.exportCsv', { datasetId: sim.value.id, path: join(allowedDir, 'sim.csv') })).body);
    expect(allowedExport).toMatchObject({ ok: true, value: { path: join(allowedDir, 'sim.csv'), rows: 24 } });
  });

  it('runs contract calls and returns structured errors naming the field', async () => {
    const ok = JSON.parse((await api('app.ping', {})).body);
    expect(ok).toMatchObject({ ok: true, value: { pong: true } });
    const unknown = JSON.parse((await api('nope.op', {})).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_op' } });
    const missing = JSON.parse((await api('data.get', {})).body);
    expect(missing).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'datasetId' } });
    const wrongType = JSON.parse((await api('data.simulate', { buildings: 'three' })).body);
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'buildings' } });
    expect(wrongType.error.message).toContain('"buildings"');
    expect(wrongType.error.message).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
    const settings = JSON.parse((await api('settings.set', { thresholds: { psi: -1 } })).body);
    expect(settings).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'thresholds.psi' } });
  });

  it('streams progress as server-sent events', async () => {
    const events: { type: string; jobId?: string; phase?: string; done?: number }[] = [];
    const done = new Promise<void>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: web.port, path: '/api/events', headers: { 'x-greenlens-token': web.token } },
        (res) => {
          res.setEncoding('utf8');
          let buf = '';
          res.on('data', (chunk: string) => {
            buf += chunk;
            for (const block of buf.split('\n\n').slice(0, -1)) {
              const line = block.split('\n').find((l) => l.startsWith('data: '));
              if (line) events.push(JSON.parse(line.slice(6)));
            }
            buf = buf.slice(buf.lastIndexOf('\n\n') + 2);
            if (events.some((e) => e.type === 'changed')) {
              req.destroy();
              resolve();
            }
          });
        },
      );
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    const body = JSON.stringify({ op: 'data.simulate', input: { buildings: 10, days: 300 }, requestId: 'sse-job' });
    const reply = await raw('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-greenlens-token': web.token },
      body,
    });
    expect(JSON.parse(reply.body).ok).toBe(true);
    await done;
    // Rows simulated; the dataset's preparation and saving follow as phases of their own.
    const progress = events.filter((e) => e.type === 'progress' && e.jobId === 'sse-job' && e.phase === 'simulating');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!.done).toBe(10 * 300 * 24);
  });

  it('uploads: a private 0600 file, refused over the size limit, gone after import or discard', async () => {
    const post = (path: string, body: string | Buffer, type = 'application/octet-stream') =>
      raw(path, {
        method: 'POST',
        headers: { 'Content-Type': type, 'x-greenlens-token': web.token },
        body: typeof body === 'string' ? body : body.toString('latin1'),
      });
    const csv = 'time,kwh\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,2\n2024-01-01T02:00:00Z,3\n';
    const up = JSON.parse((await post('/api/upload?name=../../.bashrc', csv)).body);
    expect(up).toMatchObject({ ok: true, value: { name: 'bashrc', bytes: csv.length } });
    expect(dirname(up.value.path)).toBe(uploadDir);
    expect(statSync(up.value.path).mode & 0o777).toBe(0o600);
    expect(statSync(uploadDir).mode & 0o777).toBe(0o700);
    // Over the limit (1 KiB here): 413, and nothing left behind.
    const big = await post('/api/upload?name=big.csv', 'x'.repeat(4096));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error.message).toMatch(/larger than the \d+ MB limit/);
    expect(readdirSync(uploadDir).filter((n) => n.endsWith('big.csv'))).toEqual([]);
    expect(readdirSync(uploadDir)).toContain(basename(up.value.path));
    // Imported: the upload is deleted, the dataset stays.
    const imported = JSON.parse((await api('data.import', { path: up.value.path })).body);
    expect(imported.ok).toBe(true);
    expect(existsSync(up.value.path)).toBe(false);
    // Discarded (the user closed the preview): deleted; a path outside the uploads is left alone.
    const second = JSON.parse((await post('/api/upload?name=b.csv', csv)).body);
    const discard = (path: string) => post('/api/upload/discard', JSON.stringify({ path }), 'application/json');
    expect(JSON.parse((await discard(second.value.path)).body)).toMatchObject({ ok: true, value: { discarded: true } });
    expect(existsSync(second.value.path)).toBe(false);
    writeFileSync(join(outsideDir, 'keep.csv'), csv);
    expect(JSON.parse((await discard(join(outsideDir, 'keep.csv'))).body)).toMatchObject({ ok: true, value: { discarded: false } });
    expect(existsSync(join(outsideDir, 'keep.csv'))).toBe(true);
  });

  it('prototype keys in a request body pollute nothing (what held in the audit stays held)', async () => {
    const body =
      '{"op":"settings.set","input":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}},"__proto__":{"polluted":true}}';
    const r = await raw('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-greenlens-token': web.token },
      body,
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
