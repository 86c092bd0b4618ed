import { z } from 'zod';
import { op } from '../define';
import { SettingsPatchSchema, type Settings } from '../settings';
import type { AppInfo, JobList } from '../shared/app';

export type * from '../shared/app';

/**
 * Served by the host process (Electron main, the web host or the CLI), not the
 * worker: they touch settings and the app shell, never the registry.
 */
export const DialogInputSchema = z.object({
  /** What is being picked: decides the filters and whether folders are allowed. */
  kind: z.enum(['registry', 'csv', 'archive', 'report']),
  mode: z.enum(['open', 'save']).default('open'),
  defaultName: z.string().max(255).optional(),
});

export const hostOps = {
  /** A native file dialog (Electron only; web mode answers `unsupported` and the UI uploads instead). */
  'dialog.pick': op<{ path: string | null }>()(() => DialogInputSchema.strict()),
  'app.info': op<AppInfo>()(() => z.object({}).strict()),
  'settings.get': op<Settings>()(() => z.object({}).strict()),
  'settings.set': op<Settings>()(() => SettingsPatchSchema.strict()),
};

export const appOps = {
  /** A health probe that the worker answers. */
  'app.ping': op<{ pong: true; pid: number; uptimeMs: number }>()(() => z.object({}).strict()),
  'jobs.list': op<JobList>()(() => z.object({}).strict()),
};
