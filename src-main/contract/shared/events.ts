import type { LiveStatusInfo } from './live';
import type { AlertView } from './alerts';
import type { AutomationStatus } from './loop';

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
  topic: 'datasets' | 'versions' | 'deployments' | 'predictions' | 'settings' | 'alerts' | 'feedback' | 'policy' | 'jobs' | 'ab';
}

/** An alert opened or fired again after its cool-down: what desktop and web notifications show. */
export interface AlertNoticeEvent {
  type: 'alert';
  event: 'open' | 'repeat';
  alert: AlertView;
  /** Open, unacknowledged alerts after this one: the badge count. */
  unacknowledged: number;
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

/** Open, unacknowledged alerts after the history changed (open, ack, resolve): the window and dock badge. */
export interface AlertCountEvent {
  type: 'alert-count';
  unacknowledged: number;
}

/** The in-app watcher's status: on start, stop, each pass and its progress (throttled like any job's). */
export interface AutomationEvent {
  type: 'automation';
  status: AutomationStatus;
}

export type GreenLensEvent =
  ProgressEvent | RegistryEvent | ChangedEvent | MenuEvent | LiveEvent | AlertNoticeEvent | AlertCountEvent | AutomationEvent;
