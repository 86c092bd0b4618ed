import {
  GreenLensError,
  isHostOp,
  isOpName,
  parseRequest,
  toErrorInfo,
  type Envelope,
  type ErrorInfo,
  type GreenLensEvent,
  type HostOpName,
  type OpArgs,
  type OpOutput,
} from '../../contract';
import type { AppInfo } from '../../contract/ops/app';
import type { SettingsStore } from './settings-store';
import type { CallOptions, WorkerHost } from './worker-host';

export interface RouterOptions {
  worker: WorkerHost;
  settings: SettingsStore;
  transport: AppInfo['transport'];
  version: string;
  /** Native dialogs, where the transport has them (Electron). */
  pick?: DialogHandler;
  /** Checks a worker call's input before it runs (web mode confines file paths); throws to refuse. */
  checkInput?: (op: string, input: unknown) => Promise<void>;
}

type HostHandlers = { [K in HostOpName]: (args: OpArgs<K>) => OpOutput<K> | Promise<OpOutput<K>> };

export type DialogHandler = HostHandlers['dialog.pick'];

/**
 * One entry point for every transport (Electron IPC, HTTP): host operations
 * are answered here, the rest go to the worker, which validates them itself.
 */
const ECHO_LIMIT = 200;

/**
 * Errors quote what the caller sent (an id, a path, a column name); a 63 MB id must
 * not come back whole. Any run of more than ECHO_LIMIT non-space characters is cut.
 */
export function clipEchoes(info: ErrorInfo): ErrorInfo {
  const clip = (text: string): string =>
    text.replace(new RegExp(`\\S{${ECHO_LIMIT + 1},}`, 'g'), (run) => `${run.slice(0, ECHO_LIMIT)}… (${run.length} characters)`);
  const out: ErrorInfo = { ...info, message: clip(info.message) };
  for (const key of ['field', 'file', 'column', 'hint'] as const) {
    const v = info[key];
    if (typeof v === 'string') out[key] = clip(v);
  }
  return out;
}

export class Router {
  private readonly hostHandlers: HostHandlers;

  constructor(private readonly o: RouterOptions) {
    this.hostHandlers = {
      'app.info': () => ({
        name: 'GreenLens',
        version: o.version,
        transport: o.transport,
        registryPath: o.worker.openRegistry,
        platform: process.platform,
      }),
      'dialog.pick': (args) => {
        if (!o.pick) {
          throw new GreenLensError('unsupported', 'File dialogs exist only in the desktop app; in web mode, upload or type a path.');
        }
        return o.pick(args);
      },
      'settings.get': () => o.settings.get(),
      'settings.set': (patch) => {
        const next = o.settings.set(patch);
        o.worker.setSettings(next);
        this.emit({ type: 'changed', topic: 'settings' });
        return next;
      },
    };
    o.worker.on((event) => {
      if (event.type === 'registry' && event.path) o.settings.addRecent(event.path);
    });
  }

  private readonly listeners = new Set<(event: GreenLensEvent) => void>();

  /** Worker events plus the router's own (settings changes, menu commands). */
  on(listener: (event: GreenLensEvent) => void): () => void {
    this.listeners.add(listener);
    const off = this.o.worker.on(listener);
    return () => {
      this.listeners.delete(listener);
      off();
    };
  }

  emit(event: GreenLensEvent): void {
    for (const l of this.listeners) l(event);
  }

  async call(op: unknown, input: unknown, options: CallOptions = {}): Promise<Envelope<unknown>> {
    try {
      if (isOpName(op) && isHostOp(op)) {
        const req = parseRequest<HostOpName>(op, input);
        const handler = this.hostHandlers[req.op] as (args: unknown) => unknown;
        return { ok: true, value: await handler(req.args) };
      }
      await this.o.checkInput?.(String(op), input);
      return { ok: true, value: await this.o.worker.call(String(op), input, options) };
    } catch (error) {
      return { ok: false, error: clipEchoes(toErrorInfo(error)) };
    }
  }

  cancel(requestId: string): boolean {
    return this.o.worker.cancel(requestId);
  }
}
