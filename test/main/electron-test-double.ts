/**
 * A RECORDING TEST DOUBLE of the `electron` module (not Electron): the parts
 * of its API that src-main/main and the preload use, recording what they are
 * asked to do, so main's own code runs in vitest where Electron's binary
 * cannot be installed. The real Electron is exercised by e2e/electron.spec.ts
 * on machines that have it.
 */
type Handler = (...args: never[]) => unknown;

class Emitter {
  readonly handlers = new Map<string, Handler[]>();
  on(name: string, fn: Handler): this {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), fn]);
    return this;
  }
  once(name: string, fn: Handler): this {
    return this.on(name, fn);
  }
  removeListener(name: string, fn: Handler): this {
    this.handlers.set(
      name,
      (this.handlers.get(name) ?? []).filter((f) => f !== fn),
    );
    return this;
  }
  /** Fires an event the way Electron would; returns what the handlers returned. */
  fire(name: string, ...args: unknown[]): unknown[] {
    return (this.handlers.get(name) ?? []).map((fn) => (fn as (...a: unknown[]) => unknown)(...args));
  }
}

/** An Electron-style event whose preventDefault is recorded. */
export function fakeEvent(): { defaultPrevented: boolean; preventDefault(): void } {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export class FakeWebContents extends Emitter {
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(h: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return false;
  }
  /** Records the options; the "PDF" names the file the window loaded, so a test can tell what was printed. */
  printToPDF(options: Record<string, unknown>): Promise<Buffer> {
    recorded.printed.push(options);
    return Promise.resolve(Buffer.from(`%PDF-double ${this.owner?.loaded?.file ?? this.owner?.loaded?.url ?? ''}`));
  }
  owner: FakeBrowserWindow | null = null;
}

export class FakeBrowserWindow extends Emitter {
  readonly webContents = new FakeWebContents();
  loaded: { url?: string; file?: string } | null = null;
  maximized = false;
  minimized = false;
  focused = 0;
  restored = 0;
  shown = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    this.webContents.owner = this;
    recorded.windows.push(this);
    app.fire('web-contents-created', fakeEvent(), this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loaded = { url };
    return Promise.resolve();
  }
  loadFile(file: string): Promise<void> {
    this.loaded = { file };
    return Promise.resolve();
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.restored++;
    this.minimized = false;
  }
  focus(): void {
    this.focused++;
  }
  show(): void {
    this.shown = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 10, y: 20, width: 1000, height: 700 };
  }
  destroy(): void {
    this.destroyed = true;
    this.fire('closed');
  }
  /** What a user closing the window makes Electron do. */
  close(): void {
    this.fire('close', fakeEvent());
    this.destroyed = true;
    this.fire('closed');
  }
}

interface DialogCall {
  fn: 'showOpenDialog' | 'showSaveDialog' | 'showErrorBox' | 'showMessageBox';
  args: unknown[];
}

export interface MenuItem {
  label?: string;
  role?: string;
  type?: string;
  enabled?: boolean;
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItem[];
}

export const recorded = {
  windows: [] as FakeBrowserWindow[],
  ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  permissionRequestHandler: null as null | ((wc: unknown, permission: string, callback: (ok: boolean) => void) => void),
  permissionCheckHandler: null as null | ((...args: unknown[]) => boolean),
  /** Templates passed to Menu.setApplicationMenu, latest last. */
  menus: [] as MenuItem[][],
  dialogs: [] as DialogCall[],
  /** What the next open/save dialog answers (null: the user cancels). */
  nextOpen: null as string | null,
  nextSave: null as string | null,
  quits: 0,
  singleInstanceLock: true,
  exposed: new Map<string, unknown>(),
  invoked: [] as { channel: string; args: unknown[] }[],
  notifications: [] as FakeNotification[],
  badgeCounts: [] as number[],
  notificationsSupported: true,
  /** Options of each webContents.printToPDF call. */
  printed: [] as Record<string, unknown>[],
};

export class FakeNotification extends Emitter {
  shown = false;
  constructor(readonly options: { title: string; body: string; urgency?: string }) {
    super();
    recorded.notifications.push(this);
  }
  static isSupported(): boolean {
    return recorded.notificationsSupported;
  }
  show(): void {
    this.shown = true;
  }
}
export const Notification = FakeNotification;

class FakeApp extends Emitter {
  isPackaged = false;
  paths: Record<string, string> = {};
  requestSingleInstanceLock(): boolean {
    return recorded.singleInstanceLock;
  }
  quit(): void {
    recorded.quits++;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  isReady(): boolean {
    return true;
  }
  getPath(name: string): string {
    const p = this.paths[name];
    if (!p) throw new Error(`electron test double: no path for "${name}"`);
    return p;
  }
  getVersion(): string {
    return '0.0.0-double';
  }
  setBadgeCount(n: number): boolean {
    recorded.badgeCounts.push(n);
    return true;
  }
}

export const app = new FakeApp();

export const session = {
  defaultSession: {
    setPermissionRequestHandler(h: typeof recorded.permissionRequestHandler) {
      recorded.permissionRequestHandler = h;
    },
    setPermissionCheckHandler(h: typeof recorded.permissionCheckHandler) {
      recorded.permissionCheckHandler = h;
    },
  },
};

export const ipcMain = {
  handle(channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) {
    recorded.ipcHandlers.set(channel, fn);
  },
};

export const Menu = {
  buildFromTemplate: (template: MenuItem[]) => ({ template }),
  setApplicationMenu: (menu: { template: MenuItem[] }) => void recorded.menus.push(menu.template),
};

export const dialog = {
  showOpenDialog(...args: unknown[]) {
    recorded.dialogs.push({ fn: 'showOpenDialog', args });
    const p = recorded.nextOpen;
    return Promise.resolve(p === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [p] });
  },
  showSaveDialog(...args: unknown[]) {
    recorded.dialogs.push({ fn: 'showSaveDialog', args });
    const p = recorded.nextSave;
    return Promise.resolve(p === null ? { canceled: true } : { canceled: false, filePath: p });
  },
  showErrorBox(...args: unknown[]) {
    recorded.dialogs.push({ fn: 'showErrorBox', args });
  },
  showMessageBox(...args: unknown[]) {
    recorded.dialogs.push({ fn: 'showMessageBox', args });
    return Promise.resolve({ response: 0 });
  },
};

// The preload's side.
export const contextBridge = {
  exposeInMainWorld(name: string, api: unknown) {
    recorded.exposed.set(name, api);
  },
};
export const ipcRenderer = Object.assign(new Emitter(), {
  invoke(channel: string, ...args: unknown[]) {
    recorded.invoked.push({ channel, args });
    return Promise.resolve({ ok: true });
  },
});
export const webUtils = { getPathForFile: (file: { name: string }) => `/dropped/${file.name}` };

export const BrowserWindow = FakeBrowserWindow;

/** Forgets everything recorded, between tests. */
export function resetDouble(): void {
  recorded.windows.length = 0;
  recorded.ipcHandlers.clear();
  recorded.permissionRequestHandler = null;
  recorded.permissionCheckHandler = null;
  recorded.menus.length = 0;
  recorded.dialogs.length = 0;
  recorded.nextOpen = null;
  recorded.nextSave = null;
  recorded.quits = 0;
  recorded.singleInstanceLock = true;
  recorded.exposed.clear();
  recorded.invoked.length = 0;
  recorded.notifications.length = 0;
  recorded.badgeCounts.length = 0;
  recorded.notificationsSupported = true;
  recorded.printed.length = 0;
  app.handlers.clear();
  app.isPackaged = false;
  ipcRenderer.handlers.clear();
}

const electronTestDouble = {
  app,
  BrowserWindow,
  session,
  ipcMain,
  Menu,
  dialog,
  contextBridge,
  ipcRenderer,
  webUtils,
  Notification,
};
export default electronTestDouble;
