import path from 'node:path';
import type { JobRecord } from '../../contract/shared/loop';
import { appendLine, readNdjson } from '../registry/atomic';

/**
 * jobs.ndjson: the append-only job history of a registry (ARCHITECTURE §4).
 * A job writes a line when it starts and one when it ends, both with its id;
 * the history is the lines folded by id (later fields win). A job whose end
 * line never came (the process was killed) reads as `interrupted`. Appends go
 * through appendLine, which cuts a torn last line before writing.
 */

export const JOBS_FILE = 'jobs.ndjson';

export const jobsPath = (root: string): string => path.join(root, JOBS_FILE);

export type JobLine = Partial<JobRecord> & { id: string };

export async function appendJobLine(root: string, line: JobLine): Promise<void> {
  await appendLine(jobsPath(root), JSON.stringify(line));
}

function isJobLine(v: unknown): v is JobLine {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';
}

/** Jobs folded by id, newest start first; `running` ones without a live owner are reported by the caller. */
export async function readJobs(root: string): Promise<{ jobs: JobRecord[]; tornLines: number; badLines: number }> {
  const read = await readNdjson(jobsPath(root));
  const byId = new Map<string, JobRecord>();
  let bad = read.badLines.length;
  for (const record of read.records) {
    if (!isJobLine(record)) {
      bad++;
      continue;
    }
    const prev = byId.get(record.id);
    byId.set(record.id, {
      ...(prev ?? {
        kind: 'watch-file',
        trigger: 'manual',
        status: 'running',
        startedAt: '',
        endedAt: null,
        model: null,
        file: null,
        versions: [],
        outcome: '',
      }),
      ...record,
    } as JobRecord);
  }
  const jobs = [...byId.values()].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  return { jobs, tornLines: read.tornLines, badLines: bad };
}
