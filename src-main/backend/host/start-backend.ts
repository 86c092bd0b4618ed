import type { AppInfo } from '../../contract/ops/app';
import { resolveWorkerScript } from './paths';
import { Router, type DialogHandler } from './router';
import type { SettingsStore } from './settings-store';
import { watchRegistry } from './registry-watch';
import { WorkerHost } from './worker-host';

export interface BackendOptions {
  /** import.meta.url of the entry module (locates worker.js beside it). */
  entryUrl: string;
  settings: SettingsStore;
  registryPath: string;
  tempDir: string;
  /** Folder of the backend's rotating log file (file-logger.ts logDir). */
  logDir?: string;
  transport: AppInfo['transport'];
  version: string;
  pick?: DialogHandler;
  checkInput?: (op: string, input: unknown) => Promise<void>;
}

/** The worker plus the router in front of it: what every UI transport serves. */
export function startBackend(o: BackendOptions): { worker: WorkerHost; router: Router } {
  const { script, scoreScript, execArgv } = resolveWorkerScript(o.entryUrl);
  const worker = new WorkerHost({
    script,
    execArgv,
    scoreWorkerScript: scoreScript,
    settings: o.settings.get(),
    registryPath: o.registryPath,
    tempDir: o.tempDir,
    ...(o.logDir ? { logDir: o.logDir } : {}),
  });
  const router = new Router({
    worker,
    settings: o.settings,
    transport: o.transport,
    version: o.version,
    pick: o.pick,
    checkInput: o.checkInput,
  });
  // Changes made by another process (a CLI train or score on the same registry) reach every open UI.
  const watch = watchRegistry(
    () => worker.openRegistry,
    (topic) => router.emit({ type: 'changed', topic }),
  );
  worker.onClose(() => watch.stop());
  return { worker, router };
}
