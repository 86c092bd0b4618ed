/** The app shell's shapes. Part of the contract's zod-free leaf (see ../index.ts). */

export interface AppInfo {
  name: string;
  version: string;
  transport: 'electron' | 'web' | 'cli';
  registryPath: string | null;
  platform: string;
}

export interface JobList {
  running: { jobId: string; op: string; startedAt: string }[];
}
