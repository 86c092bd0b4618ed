import { app, BrowserWindow, dialog, Menu } from 'electron';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRegistryDir } from '../backend/host/paths';
import { startBackend } from '../backend/host/start-backend';
import type { GreenLensEvent } from '../contract';
import type { Settings } from '../contract/settings';
import { ARCHIVE_EXTENSION, isArchivePath } from '../contract/shared/registry';
import { registerIpc, CHANNELS } from './ipc';
import { buildMenu } from './menu';
import { openablePath } from './open-path';
import { pickPath } from './dialogs';
import { hardenSession } from './security';
import { createElectronSettings } from './settings';

/**
 * The Electron main process stays thin: window, menu, dialogs, file opening
 * and settings. Every computation and every registry write happens in the
 * backend worker.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const rendererFile = join(here, '../renderer/index.html');
const preloadFile = join(here, '../preload/index.cjs');

if (!app.requestSingleInstanceLock()) app.quit();

let win: BrowserWindow | null = null;
const pendingOpen: string[] = [];
// macOS: a double-clicked registry or .greenlens file arrives before ready.
app.on('open-file', (event, path) => {
  event.preventDefault();
  pendingOpen.push(path);
  if (app.isReady()) void flushOpen();
});

const settings = createElectronSettings();
let openPathFn: (path: string) => Promise<void> = async () => undefined;
async function flushOpen(): Promise<void> {
  while (pendingOpen.length) await openPathFn(pendingOpen.shift()!);
}

function createWindow(saved: Settings): BrowserWindow {
  const bounds = saved.windowBounds;
  const w = new BrowserWindow({
    width: bounds?.width ?? 1360,
    height: bounds?.height ?? 880,
    ...(bounds?.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 900,
    minHeight: 600,
    title: 'GreenLens',
    show: false,
    icon: join(here, '../../resources/icon.png'),
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (bounds?.maximized) w.maximize();
  w.once('ready-to-show', () => w.show());
  w.on('close', () => {
    const b = w.getNormalBounds();
    settings.set({
      windowBounds: { x: b.x, y: b.y, width: Math.max(640, b.width), height: Math.max(480, b.height), maximized: w.isMaximized() },
    });
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  void (devUrl ? w.loadURL(devUrl) : w.loadFile(rendererFile));
  return w;
}

app.whenReady().then(async () => {
  hardenSession();
  const initial = settings.get();
  const argPath = openablePath(process.argv.slice(app.isPackaged ? 1 : 2));
  const registryPath =
    initial.lastRegistry && existsSync(initial.lastRegistry) ? initial.lastRegistry : defaultRegistryDir(app.getPath('userData'));
  const { worker, router } = startBackend({
    entryUrl: import.meta.url,
    settings,
    registryPath,
    tempDir: join(app.getPath('temp'), 'greenlens'),
    transport: 'electron',
    version: app.getVersion(),
    pick: (args) => pickPath(win, args),
  });
  const send = (event: GreenLensEvent): void => {
    if (win && !win.isDestroyed()) win.webContents.send(CHANNELS.event, event);
  };
  const refreshMenu = (): void => Menu.setApplicationMenu(buildMenu(actions));

  openPathFn = async (path: string) => {
    const target = resolve(path);
    const op = isArchivePath(target) ? 'registry.import' : 'registry.open';
    const input = op === 'registry.import' ? { archive: target } : { path: target };
    const reply = await router.call(op, input);
    if (!reply.ok) dialog.showErrorBox('Could not open registry', reply.error.message);
    refreshMenu();
  };
  const exportRegistryTo = async (): Promise<void> => {
    const current = worker.openRegistry;
    const name = `${current ? basename(current) : 'registry'}${ARCHIVE_EXTENSION}`;
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
  const actions = {
    openRegistry: () => {
      void (async () => {
        const { path } = await pickPath(win, { kind: 'registry', mode: 'open' });
        if (path) await openPathFn(path);
      })();
    },
    openPath: (path: string) => void openPathFn(path),
    exportRegistry: () => void exportRegistryTo(),
    importRegistry: () => {
      void (async () => {
        const { path } = await pickPath(win, { kind: 'archive', mode: 'open' });
        if (path) await openPathFn(path); // a .greenlens path is imported beside itself, then opened
      })();
    },
    recent: () => settings.get().recentRegistries,
    send,
    window: () => win,
  };

  registerIpc(router, rendererFile, () => win);
  router.on((event) => {
    if (event.type === 'registry') refreshMenu();
  });
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
  app.on('before-quit', () => void worker.close());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
