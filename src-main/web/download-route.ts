import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import type { Router } from '../backend/host/router';

/**
 * Web mode has no save dialog: an operation that writes a file runs with its
 * output in this run's private uploads folder, and the file comes back as the
 * response (Content-Disposition: attachment), then is deleted. Only these
 * operations, each with the one field that names its output file.
 */
export const DOWNLOAD_FIELDS: Readonly<Record<string, string>> = {
  'report.build': 'path',
  'model.score': 'out',
  'predictions.export': 'path',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.parquet': 'application/vnd.apache.parquet',
};

/** A file name safe in a header and on any disk: letters, digits, dot, dash, underscore. */
export function downloadName(raw: unknown): string {
  const name = (typeof raw === 'string' ? raw : '').replace(/[^\w.-]+/g, '_').replace(/^\.+/, '');
  return name.slice(-120) || 'download';
}

export type DownloadReply = { status: number; body: unknown } | null;

/** Runs the op into a temp file and streams it; a JSON reply (status + body) when it cannot. */
export async function download(
  router: Router,
  uploadsDir: string,
  body: Record<string, unknown>,
  res: ServerResponse,
): Promise<DownloadReply> {
  const op = typeof body.op === 'string' ? body.op : '';
  const field = DOWNLOAD_FIELDS[op];
  if (!field) {
    return { status: 400, body: { ok: false, error: { code: 'invalid_input', message: `${op || '(no op)'} cannot be downloaded.` } } };
  }
  const name = downloadName(body.name);
  const input = typeof body.input === 'object' && body.input !== null ? body.input : {};
  const file = join(uploadsDir, `download-${randomBytes(6).toString('hex')}${extname(name) || '.csv'}`);
  try {
    const reply = await router.call(op, { ...input, [field]: file }, {});
    if (!reply.ok) return { status: 200, body: reply };
    const { size } = await stat(file);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': size,
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
    });
    const stream = createReadStream(file);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    // Unlinked while open (POSIX keeps the data until the stream closes): nothing stays behind, even if the client
    // goes away. Windows refuses to unlink an open file; there the finally below removes it.
    await rm(file, { force: true }).catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      res.on('finish', () => resolve());
      res.on('close', () => resolve());
      stream.pipe(res);
    });
    return null;
  } finally {
    await rm(file, { force: true });
  }
}
