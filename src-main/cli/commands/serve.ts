import { resolve } from 'node:path';
import { logDir } from '../../backend/host/file-logger';
import { defaultRegistryDir, defaultTempDir, resolveRendererDir, userDataDir } from '../../backend/host/paths';
import { intArg, parseCommandArgs, UsageError } from '../args';
import type { CliIo } from '../io';

export const serveHelp = `greenlens serve [--registry DIR] [--port N] [--allow DIR]... [--listen ADDR]
  Web mode: serve the app on http://127.0.0.1 behind a per-run token and print its URL.
  The browser reaches only files in the registry folders, the uploads folder and each --allow DIR.
  Readings can be pushed to POST /api/readings (token in the x-greenlens-token header).
  --listen ADDR opts into another address (e.g. a LAN interface) for pushing systems.`;

export async function serveCommand(argv: string[], io: CliIo, entryUrl: string, version: string): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    registry: { type: 'string' },
    port: { type: 'string' },
    allow: { type: 'string', multiple: true },
    listen: { type: 'string' },
  });
  // Loaded here, not at start-up: conf compiles a JSON schema validator, which only serve (it writes settings) needs, and
  // the web server's modules (node:http, node:net) would add to every other command's start-up.
  const [{ isIP }, { createConfSettings }, { startBackend }, { createPathGuard }, { startWebServer }, { openUploads }] = await Promise.all([
    import('node:net'),
    import('../../backend/host/conf-settings'),
    import('../../backend/host/start-backend'),
    import('../../web/path-guard'),
    import('../../web/server'),
    import('../../web/uploads'),
  ]);
  const host = listenArg(values.listen, isIP);
  const port = intArg(values.port, 'port', 0, 0, 65535);
  const settings = createConfSettings(io.logger);
  const registryPath = values.registry ? resolve(values.registry) : (settings.get().lastRegistry ?? defaultRegistryDir());
  const tempDir = defaultTempDir();
  const uploads = await openUploads();
  const allowed = (values.allow ?? []).map((d) => resolve(d));
  let openRegistry = (): string | null => registryPath;
  const checkInput = createPathGuard(() => [registryPath, openRegistry(), uploads.dir, ...allowed, ...settings.get().recentRegistries]);
  const { worker, router } = startBackend({
    entryUrl,
    settings,
    registryPath,
    tempDir,
    logDir: logDir(userDataDir()),
    transport: 'web',
    version,
    checkInput,
  });
  openRegistry = () => worker.openRegistry;
  const web = await startWebServer({
    router,
    staticDir: resolveRendererDir(entryUrl),
    uploads,
    maxUploadBytes: () => settings.get().maxUploadMb * 2 ** 20,
    port,
    host,
  });
  io.result({ url: web.url, port: web.port, registry: registryPath });
  // The worker starts now, not at the first page load: it watches the policy's folders with no browser open.
  void worker.call('automation.status', {}).catch(() => undefined);
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
function listenArg(value: string | undefined, isIP: (input: string) => number): string | undefined {
  if (value === undefined) return undefined;
  if (!isIP(value))
    throw new UsageError(`--listen must be an IP address such as 192.168.1.20 (or 0.0.0.0 for every interface), got "${value}".`);
  return value;
}
