import type { Envelope, GreenLensEvent } from '../../../src-main/contract';

/** What a transport offers: Electron's preload or the web-mode HTTP client. */
export interface Bridge {
  call(op: string, input: unknown, requestId: string): Promise<Envelope<unknown>>;
  cancel(requestId: string): Promise<unknown>;
  on(listener: (event: GreenLensEvent) => void): () => void;
  /** Path of a dropped file (Electron only). */
  pathOf?(file: File): string;
  /** Web mode: whether the server answers (events stream open, last request reached it). */
  onConnection?(listener: (connected: boolean) => void): () => void;
  /** Uploads a file and returns its path on the host (web mode only). */
  upload?(file: File): Promise<{ path: string; name: string; bytes: number }>;
  /** Runs an op that writes a file and saves the file through the browser (web mode only; see web/download-route.ts). */
  download?(op: string, input: unknown, name: string): Promise<void>;
  /** Deletes an upload the user no longer needs (web mode only; imports delete theirs on the host). */
  discardUpload?(path: string): Promise<unknown>;
  kind: 'electron' | 'web';
}

declare global {
  interface Window {
    greenlens?: Omit<Bridge, 'kind' | 'upload' | 'call'> & { call(op: string, input: unknown, requestId: string): Promise<unknown> };
  }
}

/**
 * The token comes in the first URL only; it is kept in this tab's sessionStorage
 * (which survives reloads) and taken out of the address bar, history and bookmarks.
 */
function tokenFromUrl(): string {
  const url = new URL(window.location.href);
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) {
    sessionStorage.setItem('greenlens-token', fromQuery);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  }
  return fromQuery ?? sessionStorage.getItem('greenlens-token') ?? '';
}

/** Web mode: the same contract over HTTP + server-sent events, token in a header. */
export function httpBridge(): Bridge {
  const token = tokenFromUrl();
  const headers = { 'Content-Type': 'application/json', 'x-greenlens-token': token };
  const listeners = new Set<(event: GreenLensEvent) => void>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  let connected = true;
  const setConnected = (now: boolean): void => {
    if (now === connected) return;
    connected = now;
    for (const l of connectionListeners) l(now);
  };
  let source: EventSource | null = null;
  const connect = (): void => {
    // EventSource cannot send headers: the events stream alone takes the token in its URL.
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    // EventSource retries by itself; open and error tell whether the server is there.
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(source?.readyState === EventSource.OPEN);
    source.onmessage = (m) => {
      const event = JSON.parse(m.data as string) as GreenLensEvent;
      for (const l of listeners) l(event);
    };
  };
  const post = async (path: string, body: unknown): Promise<Envelope<unknown>> => {
    try {
      const res = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
      return (await res.json()) as Envelope<unknown>;
    } catch (error) {
      setConnected(false);
      return {
        ok: false,
        error: {
          code: 'io',
          message: `The GreenLens server did not answer (${(error as Error).message}). Is \`greenlens serve\` still running?`,
        },
      };
    }
  };
  return {
    kind: 'web',
    call: (op, input, requestId) => post('/api/call', { op, input, requestId }),
    cancel: (requestId) => post('/api/cancel', { requestId }),
    on: (listener) => {
      listeners.add(listener);
      if (!source) connect();
      return () => listeners.delete(listener);
    },
    discardUpload: (path) => post('/api/upload/discard', { path }),
    download: async (op, input, name) => {
      const res = await fetch('/api/download', { method: 'POST', headers, body: JSON.stringify({ op, input, name }) });
      // A file comes back as an attachment; a refusal or the op's error as the usual JSON envelope.
      if (!(res.headers.get('content-disposition') ?? '').startsWith('attachment')) {
        const env = (await res.json()) as Envelope<unknown>;
        throw new Error(env.ok ? `${op} sent no file.` : env.error.message);
      }
      const url = URL.createObjectURL(await res.blob());
      try {
        const a = document.createElement('a');
        a.href = url;
        a.download = name;
        document.body.append(a);
        a.click();
        a.remove();
      } finally {
        // After the click has handed the blob to the browser's download.
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
    },
    onConnection: (listener) => {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    upload: async (file) => {
      const res = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'x-greenlens-token': token, 'Content-Type': 'application/octet-stream' },
        body: file,
      });
      const env = (await res.json()) as Envelope<{ path: string; name: string; bytes: number }>;
      if (!env.ok) throw new Error(env.error.message);
      return env.value;
    },
  };
}

export function electronBridge(): Bridge | null {
  const g = window.greenlens;
  if (!g) return null;
  return {
    kind: 'electron',
    call: async (op, input, requestId) => (await g.call(op, input, requestId)) as Envelope<unknown>,
    cancel: g.cancel,
    on: g.on,
    pathOf: g.pathOf,
  };
}
