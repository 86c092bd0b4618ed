import { join, resolve } from 'node:path';
import { logDir } from '../../backend/host/file-logger';
import { defaultRegistryDir, defaultTempDir, resolveRendererDir, userDataDir } from '../../backend/host/paths';
import { startBackend } from '../../backend/host/start-backend';
import { startWebServer } from '../../web/server';
import { intArg, parseCommandArgs } from '../args';
import type { CliIo } from '../io';

export const serveHelp = `greenlens serve [--registry DIR] [--port N]
  Web mode: serve the app on http://127.0.0.1 behind a per-run token and print its URL.`;

export async function serveCommand(argv: string[], io: CliIo, entryUrl: string, version: string): Promise<number> {
  const { values } = parseCommandArgs(argv, { registry: { type: 'string' }, port: { type: 'string' } });
  const port = intArg(values.port, 'port', 0, 0, 65535);
  // Loaded here, not at start-up: conf compiles a JSON schema validator, which only serve (it writes settings) needs.
  const { createConfSettings } = await import('../../backend/host/conf-settings');
  const settings = createConfSettings(io.logger);
  const registryPath = values.registry ? resolve(values.registry) : (settings.get().lastRegistry ?? defaultRegistryDir());
  const tempDir = defaultTempDir();
  const { worker, router } = startBackend({
    entryUrl,
    settings,
    registryPath,
    tempDir,
    logDir: logDir(userDataDir()),
    transport: 'web',
    version,
  });
  const web = await startWebServer({ router, staticDir: resolveRendererDir(entryUrl), uploadDir: join(tempDir, 'uploads'), port });
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
