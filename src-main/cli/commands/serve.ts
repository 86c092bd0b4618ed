import { join, resolve } from 'node:path';
import { createConfSettings } from '../../backend/host/conf-settings';
import { defaultRegistryDir, defaultTempDir, resolveRendererDir } from '../../backend/host/paths';
import { startBackend } from '../../backend/host/start-backend';
import { startWebServer } from '../../web/server';
import { isIP } from 'node:net';
import { intArg, parseCommandArgs, UsageError } from '../args';
import type { CliIo } from '../io';

export const serveHelp = `greenlens serve [--registry DIR] [--port N] [--listen ADDR]
  Web mode: serve the app on http://127.0.0.1 behind a per-run token and print its URL.
  Readings can be pushed to POST /api/readings (token in the x-greenlens-token header).
  --listen ADDR opts into another address (e.g. a LAN interface) for pushing systems.`;

export async function serveCommand(argv: string[], io: CliIo, entryUrl: string, version: string): Promise<number> {
  const { values } = parseCommandArgs(argv, { registry: { type: 'string' }, port: { type: 'string' }, listen: { type: 'string' } });
  const host = listenArg(values.listen);
  const port = intArg(values.port, 'port', 0, 0, 65535);
  const settings = createConfSettings();
  const registryPath = values.registry ? resolve(values.registry) : (settings.get().lastRegistry ?? defaultRegistryDir());
  const tempDir = defaultTempDir();
  const { worker, router } = startBackend({ entryUrl, settings, registryPath, tempDir, transport: 'web', version });
  const web = await startWebServer({ router, staticDir: resolveRendererDir(entryUrl), uploadDir: join(tempDir, 'uploads'), port, host });
  io.result({ url: web.url, port: web.port, registry: registryPath });
  io.say(`GreenLens web mode: ${web.url}`);
  io.say(`Registry: ${registryPath}. Press Ctrl+C to stop.`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      void web
        .close()
        .then(() => worker.close())
        .then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** An IP address to bind to; names are refused so the bound interface is never a DNS surprise. */
function listenArg(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isIP(value))
    throw new UsageError(`--listen must be an IP address such as 192.168.1.20 (or 0.0.0.0 for every interface), got "${value}".`);
  return value;
}
