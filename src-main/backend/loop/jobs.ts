import { randomBytes } from 'node:crypto';
import type { JobRecord, JobStatus } from '../../contract/shared/loop';
import { appendJobLine, readJobs } from '../../core/loop/jobs';
import { withLock } from '../../core/registry';
import { pidAlive } from '../../core/registry/lock';

/** One job's two lines in jobs.ndjson (start, end), under the registry lock like every registry write. */
export interface JobHandle {
  id: string;
  end(status: Exclude<JobStatus, 'running' | 'interrupted'>, fields: Partial<Omit<JobRecord, 'id'>>): Promise<void>;
}

export function newJobId(): string {
  return `job-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export async function startJob(
  root: string,
  init: Pick<JobRecord, 'kind' | 'trigger' | 'model' | 'file'> & { id?: string },
): Promise<JobHandle> {
  const id = init.id ?? newJobId();
  await withLock(root, () =>
    appendJobLine(root, {
      id,
      kind: init.kind,
      trigger: init.trigger,
      model: init.model,
      file: init.file,
      status: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      versions: [],
      outcome: '',
      pid: process.pid,
    }),
  );
  return {
    id,
    end: (status, fields) => withLock(root, () => appendJobLine(root, { id, ...fields, status, endedAt: new Date().toISOString() })),
  };
}

/** The history, newest first; a running job whose process is gone is reported as interrupted. */
export async function listJobs(root: string, limit: number): Promise<JobRecord[]> {
  const { jobs } = await readJobs(root);
  return jobs
    .slice(0, limit)
    .map((j) =>
      j.status === 'running' && j.pid !== undefined && j.pid !== process.pid && !pidAlive(j.pid) ? { ...j, status: 'interrupted' } : j,
    );
}
