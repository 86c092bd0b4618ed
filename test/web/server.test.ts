import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from '../../src-main/backend/host/router';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import { startWebServer, type WebServer } from '../../src-main/web/server';
import { memorySettings, startTestWorker, tempDir } from '../helpers/backend';

let worker: WorkerHost;
let web: WebServer;

beforeAll(async () => {
  worker = startTestWorker();
  const router = new Router({ worker, settings: memorySettings(), transport: 'web', version: 'test' });
  const staticDir = tempDir('gl-static-');
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>GreenLens</title>');
  web = await startWebServer({ router, staticDir, uploadDir: tempDir('gl-upload-') });
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

  it('refuses requests without the token, or with a wrong one', async () => {
    const none = await raw('/');
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

  it('serves the renderer with the CSP and sets the token cookie', async () => {
    const r = await raw(`/?token=${web.token}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>GreenLens</title>');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(String(r.headers['set-cookie'])).toContain('HttpOnly');
    const cookie = await raw('/', { headers: { Cookie: `greenlens_token=${web.token}` } });
    expect(cookie.status).toBe(200);
    const traversal = await raw(`/..%2f..%2fetc%2fpasswd?token=${web.token}`);
    expect(traversal.status).toBeGreaterThanOrEqual(403);
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
    const events: { type: string; jobId?: string; done?: number }[] = [];
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
    const progress = events.filter((e) => e.type === 'progress' && e.jobId === 'sse-job');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!.done).toBe(10 * 300 * 24);
  });
});
