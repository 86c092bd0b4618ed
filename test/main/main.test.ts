import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memorySettings, tempDir } from '../helpers/backend';
import { app, fakeEvent, recorded, resetDouble, type MenuItem } from './electron-test-double';

// Main's code runs against the electron test double, not Electron (see electron-test-double.ts).
vi.mock('electron', () => import('./electron-test-double'));

const { startMain } = await import('../../src-main/main/app-main');
const { pickPath } = await import('../../src-main/main/dialogs');
const { CONTENT_SECURITY_POLICY } = await import('../../src-main/web/csp');

/** The backend worker starts from TypeScript sources: its first answers can take seconds on a busy machine. */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 20_000, interval: 20 });
const entryUrl = new URL('../../src-main/main/app-main.ts', import.meta.url).href;
const closers: (() => Promise<void>)[] = [];

beforeEach(() => {
  resetDouble();
  const data = tempDir('gl-main-');
  app.paths = { userData: join(data, 'user'), temp: join(data, 'temp') };
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function start(
  o: { packaged?: boolean; env?: Record<string, string>; argv?: string[]; settings?: ReturnType<typeof memorySettings> } = {},
) {
  app.isPackaged = o.packaged ?? false;
  const settings = o.settings ?? memorySettings();
  const handle = startMain({ settings, entryUrl, argv: o.argv ?? ['electron', '.'], env: o.env ?? {} });
  const { worker, router } = await handle.ready;
  closers.push(() => worker.close());
  const win = recorded.windows.at(-1)!;
  return { handle, worker, router, settings, win };
}

function ipc(channel: string, senderUrl: string | undefined, ...args: unknown[]): Promise<unknown> {
  const handler = recorded.ipcHandlers.get(channel);
  if (!handler) throw new Error(`no IPC handler for ${channel}`);
  return Promise.resolve(handler({ senderFrame: senderUrl === undefined ? null : { url: senderUrl } }, ...args));
}

function findItem(items: MenuItem[], label: string): MenuItem | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu && findItem(item.submenu, label);
    if (inner) return inner;
  }
  return undefined;
}
const roles = (items: MenuItem[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);

async function newRegistry(router: Awaited<ReturnType<typeof start>>['router']): Promise<string> {
  const dir = join(tempDir('gl-main-reg-'), 'reg');
  const reply = await router.call('registry.create', { path: dir });
  expect(reply.ok).toBe(true);
  return dir;
}

describe('main window (electron test double)', () => {
  it('opens the window with the security baseline and loads the built renderer', async () => {
    const { win, handle } = await start();
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: true,
    });
    expect(String(prefs.preload)).toMatch(/[/\\]preload[/\\]index\.cjs$/);
    expect(win.options).toMatchObject({ width: 1360, height: 880, minWidth: 900, minHeight: 600, show: false });
    expect(win.loaded).toEqual({ file: handle.rendererFile });
    win.fire('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('restores saved bounds and saves them when the window closes', async () => {
    const settings = memorySettings();
    settings.set({ windowBounds: { x: 5, y: 6, width: 1200, height: 800, maximized: true } });
    const { win } = await start({ settings });
    expect(win.options).toMatchObject({ x: 5, y: 6, width: 1200, height: 800 });
    expect(win.maximized).toBe(true);
    win.close();
    expect(settings.get().windowBounds).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
  });

  it('a packaged build ignores ELECTRON_RENDERER_URL, has no DevTools and trusts only its own file', async () => {
    const env = { ELECTRON_RENDERER_URL: 'http://evil.example:8080/' };
    const { win, handle } = await start({ packaged: true, env, argv: ['/opt/GreenLens/greenlens'] });
    expect(win.loaded).toEqual({ file: handle.rendererFile });
    expect((win.options.webPreferences as Record<string, unknown>).devTools).toBe(false);
    const menu = recorded.menus.at(-1)!;
    expect(roles(menu)).not.toContain('toggleDevTools');
    expect(roles(menu)).toContain('reload');
    expect(await ipc('greenlens:call', 'http://evil.example:8080/', 'app.info', {}, 'r1')).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
  });

  it('an unpackaged app loads the dev server, trusts its origin only, and keeps Toggle DevTools', async () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    const { win } = await start({ env });
    expect(win.loaded).toEqual({ url: 'http://localhost:5173' });
    expect(roles(recorded.menus.at(-1)!)).toContain('toggleDevTools');
    expect(await ipc('greenlens:call', 'http://localhost:5173/#/data', 'app.info', {}, 'r1')).toMatchObject({ ok: true });
    // A prefix is not an origin.
    expect(await ipc('greenlens:call', 'http://localhost:51730/', 'app.info', {}, 'r2')).toMatchObject({ ok: false });
  });

  it('quits when another instance holds the lock, and when the last window closes (not on macOS)', async () => {
    recorded.singleInstanceLock = false;
    await start();
    expect(recorded.quits).toBe(1);
    app.fire('window-all-closed');
    expect(recorded.quits).toBe(process.platform === 'darwin' ? 1 : 2);
  });
});

describe('navigation, new windows and permissions (electron test double)', () => {
  it('denies new windows, navigation, redirects and webviews in every web contents', async () => {
    const { win } = await start();
    const wc = win.webContents;
    expect(wc.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = fakeEvent();
      wc.fire(name, event, 'https://example.com/');
      expect(event.defaultPrevented, name).toBe(true);
    }
  });

  it('refuses every permission request and check', async () => {
    await start();
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read'])
      recorded.permissionRequestHandler!(null, permission, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(recorded.permissionCheckHandler!(null, 'media')).toBe(false);
  });
});

describe('IPC (electron test double)', () => {
  it('answers calls from the renderer file and refuses any other sender before the backend sees them', async () => {
    const { handle, router } = await start();
    const own = pathToFileURL(handle.rendererFile).href;
    expect(await ipc('greenlens:call', own, 'app.info', {}, 'a')).toMatchObject({ ok: true, value: { transport: 'electron' } });
    expect(await ipc('greenlens:call', `${own}#/models`, 'app.info', {}, 'b')).toMatchObject({ ok: true });
    const dir = join(tempDir('gl-main-untrusted-'), 'reg');
    for (const sender of [undefined, 'https://example.com/', `${own}.evil.html`, 'file:///tmp/index.html']) {
      expect(await ipc('greenlens:call', sender, 'registry.create', { path: dir }, 'c')).toEqual({
        ok: false,
        error: { code: 'unauthorized', message: 'Request from an untrusted page was refused.' },
      });
      expect(await ipc('greenlens:cancel', sender, 'c')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    // Nothing was created by the refused calls.
    expect((await router.call('registry.open', { path: dir })).ok).toBe(false);
    expect(await ipc('greenlens:cancel', own, 'nothing-running')).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('forwards backend events to the window on the event channel', async () => {
    const { router, win } = await start();
    await newRegistry(router);
    await eventually(() =>
      expect(win.webContents.sent.some((s) => s.channel === 'greenlens:event' && (s.payload as { type: string }).type === 'registry')).toBe(
        true,
      ),
    );
  });
});

describe('menus, dialogs and opening registries (electron test double)', () => {
  it('File ▸ Open Registry… opens what the dialog picked and lists it under Open Recent; a cancelled dialog opens nothing', async () => {
    const { router, worker } = await start();
    const dir = await newRegistry(router);
    const other = await newRegistry(router);
    expect(worker.openRegistry).toBe(other);
    recorded.nextOpen = dir;
    findItem(recorded.menus.at(-1)!, 'Open Registry…')!.click!();
    await eventually(() => expect(worker.openRegistry).toBe(dir));
    const open = recorded.dialogs.find((d) => d.fn === 'showOpenDialog')!;
    expect(open.args[1]).toMatchObject({ title: 'Open Registry', properties: ['openDirectory', 'openFile', 'createDirectory'] });
    await eventually(() => expect(findItem(recorded.menus.at(-1)!, 'Open Recent')!.submenu!.map((i) => i.label)).toContain(dir));

    recorded.nextOpen = null;
    const before = recorded.dialogs.length;
    findItem(recorded.menus.at(-1)!, 'Open Registry…')!.click!();
    await eventually(() => expect(recorded.dialogs.length).toBe(before + 1));
    expect(worker.openRegistry).toBe(dir);
  });

  it('Open Recent with nothing recent is a disabled item; View items send show-tab to the window', async () => {
    const { win } = await start();
    expect(findItem(recorded.menus.at(-1)!, 'Open Recent')!.submenu).toEqual([{ label: 'No recent registries', enabled: false }]);
    findItem(recorded.menus.at(-1)!, 'Drift')!.click!();
    expect(win.webContents.sent).toContainEqual({
      channel: 'greenlens:event',
      payload: { type: 'menu', command: 'show-tab', tab: 'drift' },
    });
    expect(findItem(recorded.menus.at(-1)!, 'Drift')!.accelerator).toBe('CmdOrCtrl+3');
  });

  it('a path that is not a registry shows an error box instead of opening', async () => {
    const { worker } = await start();
    const before = worker.openRegistry;
    const notARegistry = join(tempDir('gl-main-empty-'), 'notes.txt');
    writeFileSync(notARegistry, 'not a registry\n');
    recorded.nextOpen = notARegistry;
    findItem(recorded.menus.at(-1)!, 'Open Registry…')!.click!();
    await eventually(() => expect(recorded.dialogs.some((d) => d.fn === 'showErrorBox')).toBe(true));
    const box = recorded.dialogs.find((d) => d.fn === 'showErrorBox')!;
    expect(box.args[0]).toBe('Could not open registry');
    expect(String(box.args[1])).toContain('notes.txt');
    expect(worker.openRegistry).toBe(before);
  });

  it('opens a registry named on the command line, one sent by a second instance, and a macOS open-file', async () => {
    const first = await start();
    const a = await newRegistry(first.router);
    const b = await newRegistry(first.router);
    const c = await newRegistry(first.router);
    await first.worker.close();
    closers.length = 0;

    resetDouble();
    app.paths = { userData: join(tempDir('gl-main-'), 'user'), temp: join(tempDir('gl-main-'), 'temp') };
    const settings = memorySettings();
    const { worker, win } = await start({ argv: ['electron', '.', '--inspect=0', a], settings });
    expect(worker.openRegistry).toBe(a);

    win.minimized = true;
    app.fire('second-instance', fakeEvent(), ['electron', '--flag', join(b, 'greenlens-registry.json')]);
    await eventually(() => expect(worker.openRegistry).toBe(b));
    expect(win.restored).toBe(1);
    expect(win.focused).toBe(1);

    const event = fakeEvent();
    app.fire('open-file', event, c);
    expect(event.defaultPrevented).toBe(true);
    await eventually(() => expect(worker.openRegistry).toBe(c));
    expect(settings.get().recentRegistries.slice(0, 3)).toEqual([c, b, a]);
  });

  it('reopens a window on activate once the last one was closed (macOS dock)', async () => {
    const { handle, win } = await start();
    app.fire('activate');
    expect(recorded.windows).toHaveLength(1);
    win.close();
    expect(handle.window()).toBeNull();
    app.fire('activate');
    expect(recorded.windows).toHaveLength(2);
    expect(handle.window()).toBe(recorded.windows[1]);
  });
});

describe('native dialogs (electron test double)', () => {
  it('save and open dialogs carry the filters of their kind and answer null when cancelled', async () => {
    const win = { id: 1 } as unknown as Parameters<typeof pickPath>[0];
    recorded.nextSave = '/tmp/out.greenlens';
    expect(await pickPath(win, { kind: 'archive', mode: 'save', defaultName: 'r.greenlens' })).toEqual({ path: '/tmp/out.greenlens' });
    expect(recorded.dialogs.at(-1)).toEqual({
      fn: 'showSaveDialog',
      args: [win, { defaultPath: 'r.greenlens', filters: [{ name: 'GreenLens archive', extensions: ['greenlens'] }] }],
    });
    recorded.nextSave = null;
    expect(await pickPath(null, { kind: 'csv', mode: 'save' })).toEqual({ path: null });
    recorded.nextOpen = '/data/meters.csv';
    expect(await pickPath(null, { kind: 'csv', mode: 'open' })).toEqual({ path: '/data/meters.csv' });
    expect(recorded.dialogs.at(-1)!.args[0]).toMatchObject({ title: 'Import CSV', properties: ['openFile'] });
  });
});

describe('preload bridge (electron test double)', () => {
  it('exposes only call, cancel, on and pathOf, each on its own channel', async () => {
    await import('../../src-main/preload/index');
    const api = recorded.exposed.get('greenlens') as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'cancel', 'on', 'pathOf']);
    await api.call!('app.info', {}, 'r1');
    await api.cancel!('r1');
    expect(recorded.invoked).toEqual([
      { channel: 'greenlens:call', args: ['app.info', {}, 'r1'] },
      { channel: 'greenlens:cancel', args: ['r1'] },
    ]);
    expect(api.pathOf!({ name: 'x.csv' })).toBe('/dropped/x.csv');
  });
});

describe('content security policy', () => {
  const directives = (csp: string) =>
    new Map(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k!, v]),
    );
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
    readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8'),
  )![1]!;

  it.each([
    ['served by web mode', CONTENT_SECURITY_POLICY],
    ['in index.html (the desktop app)', meta],
  ])('%s allows no inline style sheets or scripts', (_where, csp) => {
    const d = directives(csp);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(csp).not.toContain("'unsafe-eval'");
  });
});

describe('packaging (electron-builder.yml)', () => {
  const yml = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
  const setting = (key: string) => new RegExp(`^\\s*${key}:\\s*(\\S+)`, 'm').exec(yml)?.[1];

  it('keeps main code inside the asar that ASAR integrity checks', () => {
    expect(setting('asar')).toBe('true');
    expect(yml).not.toMatch(/^asarUnpack:/m);
    expect(setting('enableEmbeddedAsarIntegrityValidation')).toBe('true');
    expect(setting('onlyLoadAppFromAsar')).toBe('true');
    expect(setting('runAsNode')).toBe('false');
  });
});
