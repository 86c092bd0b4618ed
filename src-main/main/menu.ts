import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { GreenLensEvent } from '../contract';

export const TABS = ['overview', 'data', 'drift', 'performance', 'models', 'settings', 'alerts', 'automation', 'dashboards'] as const;

export interface MenuActions {
  openRegistry(): void;
  /** Save the open registry as one .greenlens file. */
  exportRegistry(): void;
  /** Unpack a .greenlens file beside itself and open it. */
  importRegistry(): void;
  /** Save a report of the open registry as HTML or PDF. */
  exportReport(): void;
  openPath(path: string): void;
  recent(): string[];
  send(event: GreenLensEvent): void;
  window(): BrowserWindow | null;
}

/**
 * File ▸ Open Registry… / Open Recent / Export Registry… / Import Registry… / Export Report… / Quit; View ▸ each tab; Help ▸ About.
 * Toggle DevTools only in an unpackaged app: an installed build has no use for it and it hands out a console.
 */
export function buildMenu(a: MenuActions, o: { packaged: boolean }): Menu {
  const recent = a.recent();
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Registry…', accelerator: 'CmdOrCtrl+O', click: () => a.openRegistry() },
        {
          label: 'Open Recent',
          submenu: recent.length
            ? recent.map((path) => ({ label: path, click: () => a.openPath(path) }))
            : [{ label: 'No recent registries', enabled: false }],
        },
        { type: 'separator' },
        { label: 'Export Registry…', click: () => a.exportRegistry() },
        { label: 'Import Registry…', click: () => a.importRegistry() },
        { label: 'Export Report…', click: () => a.exportReport() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...TABS.map((tab, i) => ({
          label: tab[0]!.toUpperCase() + tab.slice(1),
          accelerator: `CmdOrCtrl+${i + 1}`,
          click: () => a.send({ type: 'menu', command: 'show-tab', tab }),
        })),
        { type: 'separator' },
        { role: 'reload' },
        ...(o.packaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Help',
      submenu: [
        {
          label: 'About GreenLens',
          click: () => {
            const win = a.window();
            const options = {
              type: 'info' as const,
              title: 'About GreenLens',
              message: `GreenLens ${app.getVersion()}`,
              detail: 'Offline MLOps workbench for anomaly models on building energy data.\nElectron ' + process.versions.electron,
            };
            void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
          },
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
