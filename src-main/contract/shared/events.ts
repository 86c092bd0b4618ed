import type { LiveStatusInfo } from './live';

/** Events pushed from the backend to every connected UI. */
export interface ProgressEvent {
  type: 'progress';
  jobId: string;
  op: string;
  phase: string;
  done: number;
  total: number;
}

export interface RegistryEvent {
  type: 'registry';
  path: string | null;
}

export interface ChangedEvent {
  type: 'changed';
  /** What changed: lets views refetch only what they show. */
  topic: 'datasets' | 'versions' | 'deployments' | 'predictions' | 'settings';
}

export interface MenuEvent {
  type: 'menu';
  command: 'open-registry' | 'show-tab' | 'about';
  tab?: string;
}

/** The live source's status and rolling window, at most every LIVE_EVENT_MIN_MS. */
export interface LiveEvent {
  type: 'live';
  status: LiveStatusInfo;
}

export type GreenLensEvent = ProgressEvent | RegistryEvent | ChangedEvent | MenuEvent | LiveEvent;
