import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Router } from '../backend/host/router';
import { GreenLensError } from '../contract/shared/errors';
import { uploadTooLarge, type Uploads } from './uploads';
import { CONTENT_SECURITY_POLICY } from './csp';
import { postReadings } from './readings-route';
import { download } from './download-route';

export interface WebServerOptions {
  router: Router;
  /** Folder of the built renderer (out/renderer). */
  staticDir: string;
  /** Where uploaded files are written (web mode has no file paths of its own). */
  uploads: Uploads;
  /** Largest upload accepted, read per request (a setting). */
  maxUploadBytes?: () => number;
  port?: number;
  token?: string;
  /** Address to listen on; default 127.0.0.1. Another address (a LAN interface) is an explicit opt-in (`serve --listen`). */
  host?: string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const TOKEN_HEADER = 'x-greenlens-token';

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

/** Values echoed in errors are cut: a request may carry megabytes. */
function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} characters)` : text;
}

function sameToken(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/**
 * The token travels only in the x-greenlens-token header, never as a cookie:
 * browsers send a host's cookies to every port of it, so another local server could
 * replay one. EventSource cannot set headers, so the events stream alone takes it
 * from the query string.
 */
function presentedToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string') return header;
  if (url.pathname === '/api/events') return url.searchParams.get('token');
  return null;
}

const DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new Error('Request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Web mode: the renderer and the contract over HTTP on 127.0.0.1 only, with Host
 * and Origin checked against DNS rebinding and cross-site requests. The static
 * renderer (no secrets in it) is served to anyone who passes those checks; every
 * /api/ call needs the random per-run token, which the page reads from the first
 * URL, keeps in sessionStorage and sends as a header. Progress travels as
 * server-sent events.
 */
export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const staticRoot = resolve(o.staticDir);
  let port = 0;

  const listenHost = o.host ?? '127.0.0.1';
  const extra = extraHosts(listenHost);
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`, ...extra.map((h) => `${h}:${port}`)]);
  const allowedOrigins = (): Set<string> =>
    new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, ...extra.map((h) => `http://${h}:${port}`)]);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) refuse(res, 500, 'internal', (error as Error).message);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res);
    if (!allowedHosts().has(req.headers.host ?? '')) {
      return refuse(res, 421, 'unauthorized', 'Host not allowed: GreenLens web mode answers only on 127.0.0.1.');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      return refuse(res, 403, 'unauthorized', 'Cross-origin requests are refused.');
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return refuse(res, 400, 'invalid_input', `Malformed path: ${clip(url.pathname)}`);
    }
    if (pathname.startsWith('/api/')) {
      const presented = presentedToken(req, url);
      if (!presented || !sameToken(presented, token)) {
        return refuse(res, 401, 'unauthorized', 'Missing or wrong token: open the URL that `greenlens serve` printed.');
      }
      return api(url, req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'invalid_input', 'Method not allowed.');
    return serveStatic(pathname, res);
  }

  async function api(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      const off = o.router.on((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
      const beat = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.on('close', () => {
        off();
        clearInterval(beat);
      });
      return;
    }
    if (req.method !== 'POST') return refuse(res, 405, 'invalid_input', 'Use POST for this endpoint.');
    if (url.pathname === '/api/upload') return upload(url, req, res);
    // Requiring JSON keeps plain HTML forms from other sites out.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return refuse(res, 415, 'invalid_input', 'Send application/json.');
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      return refuse(res, 400, 'invalid_input', `Request body is not valid JSON: ${clip((error as Error).message)}`);
    }
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (url.pathname === '/api/call') {
      const requestId = typeof b.requestId === 'string' ? b.requestId : undefined;
      const reply = await o.router.call(b.op, b.input, { requestId });
      // An imported upload has served its purpose: its rows now live in the dataset.
      if (reply.ok && b.op === 'data.import') await discardInput(b.input);
      return sendJson(res, 200, reply);
    }
    if (url.pathname === '/api/upload/discard') {
      return sendJson(res, 200, { ok: true, value: { discarded: typeof b.path === 'string' && (await o.uploads.discard(b.path)) } });
    }
    if (url.pathname === '/api/download') {
      const reply = await download(o.router, o.uploads.dir, b, res);
      return reply ? sendJson(res, reply.status, reply.body) : undefined;
    }
    if (url.pathname === '/api/readings') {
      const r = await postReadings(o.router, body, url);
      return sendJson(res, r.status, r.body);
    }
    if (url.pathname === '/api/cancel') {
      return sendJson(res, 200, { ok: true, value: { cancelled: o.router.cancel(String(b.requestId ?? '')) } });
    }
    return refuse(res, 404, 'unknown_op', `No endpoint ${url.pathname}.`);
  }

  async function discardInput(input: unknown): Promise<void> {
    const path = typeof input === 'object' && input !== null ? (input as Record<string, unknown>).path : undefined;
    if (typeof path === 'string') await o.uploads.discard(path);
  }

  async function upload(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const max = o.maxUploadBytes?.() ?? DEFAULT_MAX_UPLOAD_BYTES;
    const declared = Number(req.headers['content-length']);
    const tooLarge = (): void => refuse(res, 413, 'invalid_input', uploadTooLarge(max).message);
    if (Number.isFinite(declared) && declared > max) {
      res.setHeader('Connection', 'close');
      tooLarge();
      req.destroy();
      return;
    }
    try {
      const saved = await o.uploads.save(url.searchParams.get('name') ?? 'upload.csv', req, max);
      return sendJson(res, 200, { ok: true, value: saved });
    } catch (error) {
      if (error instanceof GreenLensError && error.code === 'invalid_input') {
        res.setHeader('Connection', 'close');
        return tooLarge();
      }
      return refuse(res, 400, 'io', `Upload failed: ${clip((error as Error).message)}`);
    }
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
    const file = normalize(join(staticRoot, rel));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) return refuse(res, 403, 'unauthorized', 'Path not allowed.');
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new Error('not a file');
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Content-Length': s.size,
        'Cache-Control': 'no-cache',
      });
      createReadStream(file).pipe(res);
    } catch {
      refuse(res, 404, 'not_found', `Not found: ${clip(pathname)}`);
    }
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, listenHost, () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${extra[0] ?? '127.0.0.1'}:${port}/?token=${token}`,
    port,
    token,
    server,
    close: async () => {
      await new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
      await o.uploads.close();
    },
  };
}

/** Host names (as in a Host header) besides loopback that a `--listen` address answers to: that address, or every interface's for 0.0.0.0 / ::. */
function extraHosts(listen: string): string[] {
  if (listen === '127.0.0.1') return [];
  const bracket = (a: string): string => (a.includes(':') ? `[${a}]` : a);
  if (listen !== '0.0.0.0' && listen !== '::') return [bracket(listen)];
  return Object.values(networkInterfaces())
    .flat()
    .filter((i): i is NonNullable<typeof i> => !!i && (listen === '::' || i.family === 'IPv4'))
    .map((i) => bracket(i.address));
}
