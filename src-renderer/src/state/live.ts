import { create } from 'zustand';
import type { LiveStatusInfo } from '../../../src-main/contract/shared/live';
import { call } from '../api/client';

/**
 * The app's live source as the backend last reported it. Only the latest
 * status is kept (the backend holds the bounded window), and the backend
 * sends it at most 4 times a second, so the live views redraw at most that often.
 */
interface LiveStore {
  status: LiveStatusInfo | null;
}

export const useLive = create<LiveStore>(() => ({ status: null }));

export function setLiveStatus(status: LiveStatusInfo): void {
  useLive.setState({ status });
}

export async function refreshLive(): Promise<void> {
  try {
    setLiveStatus(await call('live.status', {}));
  } catch {
    // No backend yet: the next event fills it in.
  }
}

/** A source has run (or runs) in this session: the live views show its window. */
export function isLiveActive(s: LiveStatusInfo | null): s is LiveStatusInfo {
  return s !== null && (s.source !== null || s.scored > 0);
}
