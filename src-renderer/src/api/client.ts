import type { ErrorInfo, GreenLensEvent, OpInput, OpName, OpOutput } from '../../../src-main/contract';
import { electronBridge, httpBridge, type Bridge } from './bridge';

export const bridge: Bridge = electronBridge() ?? httpBridge();

/** An error from the backend, with its structured info (code, field, file, hint). */
export class ApiError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
  }
}

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof ApiError) return error.info;
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

let seq = 0;
export function newRequestId(op: string): string {
  return `${op}-${Date.now().toString(36)}-${++seq}`;
}

export interface CallOptions {
  requestId?: string;
}

/** The one typed entry point: `call('data.simulate', {...})` resolves to that op's output or throws an ApiError. */
export async function call<K extends OpName>(op: K, input: OpInput<K>, options: CallOptions = {}): Promise<OpOutput<K>> {
  const env = await bridge.call(op, input, options.requestId ?? newRequestId(op));
  if (!env.ok) throw new ApiError(env.error);
  return env.value as OpOutput<K>;
}

export function cancel(requestId: string): void {
  void bridge.cancel(requestId);
}

export function on(listener: (event: GreenLensEvent) => void): () => void {
  return bridge.on(listener);
}

/** Connection changes of web mode (Electron's IPC never disconnects). */
export function onConnection(listener: (connected: boolean) => void): () => void {
  return bridge.onConnection?.(listener) ?? (() => undefined);
}
