import type { ReactNode } from 'react';
import type { Status } from '../components/MetricCard';

/**
 * What the header shows beyond the app info: the active model, its alias,
 * health and an Open button. The registry and monitoring views fill it in.
 */
export interface ShellExtras {
  model: string | null;
  version: string | null;
  alias: string | null;
  health: Exclude<Status, 'neutral'> | null;
  openButton: ReactNode;
}

export function useShellExtras(): ShellExtras {
  return { model: null, version: null, alias: null, health: null, openButton: null };
}
