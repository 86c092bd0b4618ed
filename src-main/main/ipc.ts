import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Router } from '../backend/host/router';
import type { Envelope, GreenLensEvent } from '../contract';

export const CHANNELS = { call: 'greenlens:call', cancel: 'greenlens:cancel', event: 'greenlens:event' } as const;

/**
 * Two channels carry the whole contract: every call is checked for a trusted
 * sender, then validated by the router/worker against its schema.
 */
export function registerIpc(router: Router, isTrusted: (url: string | undefined) => boolean, getWindow: () => BrowserWindow | null): void {
  const untrusted: Envelope<never> = { ok: false, error: { code: 'unauthorized', message: 'Request from an untrusted page was refused.' } };
  const trusted = (event: IpcMainInvokeEvent): boolean => isTrusted(event.senderFrame?.url);

  ipcMain.handle(CHANNELS.call, (event, op: unknown, input: unknown, requestId: unknown) => {
    if (!trusted(event)) return untrusted;
    return router.call(op, input, { requestId: typeof requestId === 'string' ? requestId : undefined });
  });
  ipcMain.handle(CHANNELS.cancel, (event, requestId: unknown) => {
    if (!trusted(event)) return untrusted;
    return { ok: true, value: { cancelled: router.cancel(String(requestId)) } };
  });
  router.on((event: GreenLensEvent) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(CHANNELS.event, event);
  });
}
