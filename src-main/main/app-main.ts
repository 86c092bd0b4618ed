import { app, BrowserWindow, dialog, Menu } from 'electron';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRegistryDir } from '../backend/host/paths';
import type { Router } from '../backend/host/router';
import type { SettingsStore } from '../backend/host/settings-store';
import { startBackend } from '../backend/host/start-backend';
import type { WorkerHost } from '../backend/host/worker-host';
import type { GreenLensEvent } from '../contract';
import type { Settings } from '../contract/settings';
import { notifyAlerts } from './alert-notify';
import { pickPath } from './dialogs';
import { CHANNELS, registerIpc } from './ipc';
import { buildMenu, type MenuActions } from './menu';
import { exportReport } from './export-report';
import { openablePath } from './open-path';
import { hardenAllContents, hardenSession, isTrustedUrl } from './security';
import { devRendererUrl, windowOptions } from './window';

export interface MainOptions {
  settings: SettingsStore;
  /** import.meta.url of the entry module: the renderer, preload and worker scripts are found from it. */
  entryUrl: string;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** Folder of the backend's rotating log file. */
  logDir?: string;
}

/** What a started main process holds, for the electron test double to inspect. */
export interface MainHandle {
  /** Resolves once the app is ready, the window exists and launch arguments are opened. */
  ready: Promise<{ worker: WorkerHost; router: Router }>;
  window(): BrowserWindow | null;
  rendererFile: string;
}

/**
 * The Electron main process stays thin: window, menu, dialogs, file opening
 * and settings. Every computation and every registry write happens in the
 * backend worker. Everything is wired here, in one function, so it runs the
 * same under Electron and under the electron test double (test/main).
 */
export function startMain(o: MainOptions): MainHandle {
  const here = fileURLToPath(new URL('.', o.entryUrl));
  const rendererFile = join(here, '../renderer/index.html');
  const preloadFile = join(here, '../preload/index.cjs');
  const devUrl = devRendererUrl(app.isPackaged, o.env);
  const settings = o.settings;

  if (!app.requestSingleInstanceLock()) app.quit();
  hardenAllContents();

  let win: BrowserWindow | null = null;
  const pendingOpen: string[] = [];
  let openPathFn: (path: string) => Promise<void> = async () => undefined;
  const flushOpen = async (): Promise<void> => {
    while (pendingOpen.length) await openPathFn(pendingOpen.shift()!);
  };
  // macOS: a double-clicked registry or .greenlens file arrives before ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    pendingOpen.push(path);
    if (app.isReady()) void flushOpen();
  });

  const createWindow = (saved: Settings): BrowserWindow => {
    const w = new BrowserWindow(
      windowOptions(saved, { preload: preloadFile, icon: join(here, '../../resources/icon.png'), packaged: app.isPackaged }),
    );
    if (saved.windowBounds?.maximized) w.maximize();
    w.once('ready-to-show', () => w.show());
    w.on('close', () => {
      const b = w.getNormalBounds();
      settings.set({
        windowBounds: { x: b.x, y: b.y, width: Math.max(640, b.width), height: Math.max(480, b.height), maximized: w.isMaximized() },
      });
    });
    void (devUrl ? w.loadURL(devUrl) : w.loadFile(rendererFile));
    return w;
  };

  const ready = app.whenReady().then(async () => {
    hardenSession();
    const initial = settings.get();
    const argPath = openablePath(o.argv.slice(app.isPackaged ? 1 : 2));
    const registryPath =
      initial.lastRegistry && existsSync(initial.lastRegistry) ? initial.lastRegistry : defaultRegistryDir(app.getPath('userData'));
    const { worker, router } = startBackend({
      entryUrl: o.entryUrl,
      settings,
      registryPath,
      tempDir: join(app.getPath('temp'), 'greenlens'),
      ...(o.logDir ? { logDir: o.logDir } : {}),
      transport: 'electron',
      version: app.getVersion(),
      pick: (args) => pickPath(win, args),
    });
    const send = (event: GreenLensEvent): void => {
      if (win && !win.isDestroyed()) win.webContents.send(CHANNELS.event, event);
    };
    const refreshMenu = (): void => Menu.setApplicationMenu(buildMenu(actions, { packaged: app.isPackaged }));

    openPathFn = async (path: string) => {
      const target = resolve(path);
      const op = target.endsWith('.greenlens') ? 'registry.import' : 'registry.open';
      const input = op === 'registry.import' ? { archive: target } : { path: target };
      const reply = await router.call(op, input);
      if (!reply.ok) dialog.showErrorBox('Could not open registry', reply.error.message);
      refreshMenu();
    };
    const exportRegistryTo = async (): Promise<void> => {
      const current = worker.openRegistry;
      const name = current ? `${basename(current)}.greenlens` : 'registry.greenlens';
      const { path } = await pickPath(win, { kind: 'archive', mode: 'save', defaultName: name });
      if (!path) return;
      try {
        // Typed call straight to the worker: export is not a host operation and emits no registry event.
        const out = await worker.call('registry.export', { archive: path });
        if (win)
          void dialog.showMessageBox(win, { type: 'info', message: 'Registry exported', detail: `${out.archive} (${out.files} files)` });
      } catch (error) {
        dialog.showErrorBox('Could not export the registry', error instanceof Error ? error.message : String(error));
      }
    };
    const pickAndOpen = async (kind: 'registry' | 'archive'): Promise<void> => {
      const { path } = await pickPath(win, { kind, mode: 'open' });
      if (path) await openPathFn(path); // a .greenlens path is imported beside itself, then opened
    };
    const actions: MenuActions = {
      openRegistry: () => void pickAndOpen('registry'),
      openPath: (path: string) => void openPathFn(path),
      exportRegistry: () => void exportRegistryTo(),
      importRegistry: () => void pickAndOpen('archive'),
      exportReport: () =>
        void exportReport({
          win,
          tempDir: join(app.getPath('temp'), 'greenlens'),
          buildHtml: (path) => worker.call('report.build', { path }),
        }),
      recent: () => settings.get().recentRegistries,
      send,
      window: () => win,
    };

    registerIpc(
      router,
      (url) => isTrustedUrl(url, rendererFile, devUrl),
      () => win,
    );
    router.on((event) => {
      if (event.type === 'registry') refreshMenu();
    });
    notifyAlerts(
      router,
      () => settings.get().alertNotifications,
      (event) => {
        if (win && !win.isDestroyed()) {
          if (win.isMinimized()) win.restore();
          win.focus();
        }
        send(event);
      },
    );
    refreshMenu();
    const openWindow = (saved: Settings): void => {
      const w = createWindow(saved);
      w.on('closed', () => {
        if (win === w) win = null;
      });
      win = w;
    };
    openWindow(initial);
    if (argPath) pendingOpen.push(argPath);
    await flushOpen();

    app.on('second-instance', (_event, argv) => {
      const p = openablePath(argv.slice(1));
      if (p) void openPathFn(p);
      if (win) {
        if (win.isMinimized()) win.restore();
        win.focus();
      }
    });
    app.on('activate', () => {
      if (!win) openWindow(settings.get());
    });
    // Quit waits (at most a few seconds) for the in-app watcher to cancel its pass and release its file.
    let closed = false;
    app.on('before-quit', (event) => {
      if (closed) return;
      event.preventDefault();
      void worker.close().finally(() => {
        closed = true;
        app.quit();
      });
    });
    return { worker, router };
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  return { ready, window: () => win, rendererFile };
}
