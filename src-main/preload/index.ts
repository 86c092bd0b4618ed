import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';

/**
 * Exposes window.greenlens and nothing else. The renderer gets three
 * functions, never ipcRenderer itself. Channel names mirror main/ipc.ts
 * (kept literal: a sandboxed preload is one self-contained file).
 */
const api = {
  call: (op: string, input: unknown, requestId: string): Promise<unknown> => ipcRenderer.invoke('greenlens:call', op, input, requestId),
  cancel: (requestId: string): Promise<unknown> => ipcRenderer.invoke('greenlens:cancel', requestId),
  on: (listener: (event: unknown) => void): (() => void) => {
    const wrapped = (_e: IpcRendererEvent, event: unknown): void => listener(event);
    ipcRenderer.on('greenlens:event', wrapped);
    return () => ipcRenderer.removeListener('greenlens:event', wrapped);
  },
  /** Drag and drop: the path of a dropped file or folder (Electron ≥ 32 has no File.path). */
  pathOf: (file: File): string => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('greenlens', api);
