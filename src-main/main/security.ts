import { app, session, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';

/**
 * The security baseline of DESIGN §8: no new windows, no navigation, no
 * permissions, and IPC accepted only from our own renderer page.
 */
export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

app.on('web-contents-created', (_event, contents) => hardenContents(contents));

/** Our renderer is the built index.html (or the dev server in `electron-vite dev`). */
export function isTrustedUrl(url: string | undefined, rendererFile: string): boolean {
  if (!url) return false;
  const dev = process.env.ELECTRON_RENDERER_URL;
  if (dev && url.startsWith(dev)) return true;
  const expected = pathToFileURL(rendererFile).href;
  return url === expected || url.startsWith(expected + '#') || url.startsWith(expected + '?');
}
