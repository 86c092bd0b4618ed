import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { memorySettings, tempDir } from '../helpers/backend';
import { app, recorded, resetDouble, type MenuItem } from './electron-test-double';

// Main's code runs against the electron test double, not Electron (see electron-test-double.ts).
vi.mock('electron', () => import('./electron-test-double'));

const { exportReport } = await import('../../src-main/main/export-report');
const { startMain } = await import('../../src-main/main/app-main');

let dir: string;
beforeEach(() => {
  resetDouble();
  dir = tempDir('gl-main-report-');
  app.paths = { userData: join(dir, 'user'), temp: join(dir, 'temp') };
});

/** A stand-in for the worker's report.build: writes a small HTML file where asked. */
function fakeBuild(calls: string[]) {
  return (path: string) => {
    calls.push(path);
    writeFileSync(path, '<!doctype html><section id="health"></section>');
    return Promise.resolve({ path, bytes: 44 });
  };
}

describe('File ▸ Export Report…', () => {
  it('HTML: the worker writes the chosen file', async () => {
    recorded.nextSave = join(dir, 'r.html');
    const calls: string[] = [];
    expect(await exportReport({ win: null, buildHtml: fakeBuild(calls) })).toBe(join(dir, 'r.html'));
    expect(calls).toEqual([join(dir, 'r.html')]);
    expect(recorded.windows).toHaveLength(0);
    const save = recorded.dialogs.find((d) => d.fn === 'showSaveDialog')!;
    expect(JSON.stringify(save.args)).toContain('"extensions":["pdf"]');
  });

  it('PDF: printToPDF in a hidden window with JavaScript off, the intermediate HTML removed', async () => {
    const scratchBase = tempDir('gl-main-scratch-');
    recorded.nextSave = join(dir, 'r.pdf');
    const calls: string[] = [];
    expect(await exportReport({ win: null, buildHtml: fakeBuild(calls), tempDir: scratchBase })).toBe(join(dir, 'r.pdf'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.startsWith(scratchBase)).toBe(true);
    const printer = recorded.windows[0]!;
    expect(printer.options).toMatchObject({ show: false, webPreferences: { javascript: false, sandbox: true } });
    expect(printer.loaded).toEqual({ file: calls[0] });
    expect(recorded.printed).toEqual([{ pageSize: 'A4', printBackground: true }]);
    expect(readFileSync(join(dir, 'r.pdf'), 'utf8')).toBe(`%PDF-double ${calls[0]}`);
    expect(printer.isDestroyed()).toBe(true);
    expect(readdirSync(scratchBase)).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });

  it('cancelled: nothing is built; a failure is shown and writes nothing', async () => {
    const calls: string[] = [];
    expect(await exportReport({ win: null, buildHtml: fakeBuild(calls) })).toBeNull();
    expect(calls).toEqual([]);
    recorded.nextSave = join(dir, 'bad.pdf');
    const failing = (): Promise<never> => Promise.reject(new Error('The registry has no model energy-anomaly.'));
    expect(await exportReport({ win: null, buildHtml: failing })).toBeNull();
    expect(recorded.dialogs.find((d) => d.fn === 'showErrorBox')?.args).toEqual([
      'Could not export the report',
      'The registry has no model energy-anomaly.',
    ]);
    expect(existsSync(join(dir, 'bad.pdf'))).toBe(false);
  });

  it('the menu item runs the worker’s report.build on the open registry', async () => {
    const handle = startMain({
      settings: memorySettings(),
      entryUrl: new URL('../../src-main/main/app-main.ts', import.meta.url).href,
      argv: ['electron', '.'],
      env: {},
    });
    const { worker, router } = await handle.ready;
    try {
      expect((await router.call('registry.create', { path: join(dir, 'reg') })).ok).toBe(true);
      const find = (items: MenuItem[]): MenuItem | undefined =>
        items.map((i) => (i.label === 'Export Report…' ? i : find(i.submenu ?? []))).find(Boolean);
      recorded.nextSave = join(dir, 'menu.html');
      find(recorded.menus.at(-1)!)!.click!();
      await vi.waitFor(() => expect(existsSync(join(dir, 'menu.html'))).toBe(true), { timeout: 20_000 });
      const html = readFileSync(join(dir, 'menu.html'), 'utf8');
      expect(html).toContain('<section id="versions">');
      expect(html).toContain('No version yet: train one to have a reference to compare with.');
    } finally {
      await worker.close();
    }
  }, 60_000);
});
