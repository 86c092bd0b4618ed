import type { BrowserWindowConstructorOptions } from 'electron';
import type { Settings } from '../contract/settings';

/**
 * The main window's options: the security baseline of ARCHITECTURE §8 lives here,
 * in one place the electron test double can check.
 */
export function windowOptions(
  saved: Settings,
  files: { preload: string; icon: string; packaged: boolean },
): BrowserWindowConstructorOptions {
  const bounds = saved.windowBounds;
  return {
    width: bounds?.width ?? 1360,
    height: bounds?.height ?? 880,
    ...(bounds?.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 900,
    minHeight: 600,
    title: 'GreenLens',
    show: false,
    icon: files.icon,
    webPreferences: {
      preload: files.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // No DevTools in an installed build (its menu item is hidden too).
      devTools: !files.packaged,
      // A middle click must not open links behind the window-open handler's back (Electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  };
}

/**
 * The dev server's URL (`electron-vite dev`), honoured only in an unpackaged
 * app: in an installed build an environment variable must not be able to load
 * a remote page with the preload bridge, which the IPC check would then trust.
 */
export function devRendererUrl(isPackaged: boolean, env: Readonly<Record<string, string | undefined>>): string | null {
  if (isPackaged) return null;
  const url = env.ELECTRON_RENDERER_URL;
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
