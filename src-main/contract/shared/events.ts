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
  topic: 'datasets' | 'versions' | 'deployments' | 'predictions' | 'settings' | 'policy' | 'jobs';
}

export interface MenuEvent {
  type: 'menu';
  command: 'open-registry' | 'show-tab' | 'about';
  tab?: string;
}

export type GreenLensEvent = ProgressEvent | RegistryEvent | ChangedEvent | MenuEvent;
