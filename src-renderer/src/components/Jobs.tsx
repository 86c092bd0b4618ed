import { cancelJob, useApp, type Job } from '../state/store';

function percent(job: Job): number | null {
  return job.total > 0 ? Math.min(100, Math.round((100 * job.done) / job.total)) : null;
}

/** `onCancel` replaces the request cancel for work the backend started itself (the in-app watcher's pass). */
export function ProgressBar({ job, onCancel }: { job: Job; onCancel?: () => void }) {
  const pct = percent(job);
  return (
    <div className="job" data-testid="job-progress">
      <div className="job-text">
        <strong>{job.label}</strong> <span className="muted">{job.cancelling ? 'cancelling…' : job.phase}</span>
        {pct !== null && <span className="num"> {pct}%</span>}
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={job.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
      >
        <div className={`progress-fill ${pct === null ? 'indeterminate' : ''}`} style={{ width: `${pct ?? 30}%` }} />
      </div>
      <button type="button" className="btn-small" disabled={job.cancelling} onClick={onCancel ?? (() => cancelJob(job.requestId))}>
        {job.cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}

/** Every running job, with progress and Cancel, pinned under the tab bar. */
export function JobTray() {
  const jobs = useApp((s) => s.jobs);
  const list = Object.values(jobs);
  if (!list.length) return null;
  return (
    <div className="job-tray" aria-live="polite">
      {list.map((job) => (
        <ProgressBar key={job.requestId} job={job} />
      ))}
    </div>
  );
}
