import { app, session, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';

/**
 * The security baseline of ARCHITECTURE §8: no new windows, no navigation, no
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

/** Every web contents (windows, devtools, anything a page creates) gets the same rules. */
export function hardenAllContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
}

/**
 * Our renderer is the built index.html, or in an unpackaged app the dev
 * server (`devUrl`, already gated by devRendererUrl): same origin, not a
 * mere prefix, so `http://localhost:51730` is not `http://localhost:5173`.
 */
export function isTrustedUrl(url: string | undefined, rendererFile: string, devUrl: string | null): boolean {
  if (!url) return false;
  if (devUrl && sameOrigin(url, devUrl)) return true;
  const expected = pathToFileURL(rendererFile).href;
  return url === expected || url.startsWith(expected + '#') || url.startsWith(expected + '?');
}

function sameOrigin(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return (x.protocol === 'http:' || x.protocol === 'https:') && x.origin === y.origin;
  } catch {
    return false;
  }
}
