import { useEffect, useState } from 'react';
import type { AutomationStatus, JobRecord } from '../../../../src-main/contract/shared/loop';
import { ProgressBar } from '../../components/Jobs';
import { EmptyState, Panel } from '../../components/Panel';
import { fmtTime } from '../../components/format';
import {
  cancelAutomationPass,
  followAutomation,
  loadAutomation,
  runWatch,
  savePolicy,
  setAutomationPaused,
  useLoop,
} from '../../state/loop';
import { onTopic, useApp, type Job } from '../../state/store';
import './automation.css';

const AUTOMATION_OPS = new Set(['watch.run', 'model.evaluate', 'model.train']);

function RunningJobs() {
  // Select the record and filter outside: a selector returning a new array each time re-renders forever.
  const all = useApp((s) => s.jobs);
  const jobs = Object.values(all).filter((j) => AUTOMATION_OPS.has(j.op));
  const pass = useLoop((s) => s.automation?.running ?? null);
  const background: Job | null = pass && {
    requestId: pass.jobId,
    op: 'watch.run',
    label: `Watching ${pass.folder}`,
    phase: pass.phase,
    done: pass.done,
    total: pass.total,
    startedAt: Date.parse(pass.startedAt),
    cancelling: pass.cancelling,
  };
  return (
    <Panel title="Running" testId="automation-running">
      {background && <ProgressBar job={background} onCancel={() => void cancelAutomationPass()} />}
      {jobs.map((j) => (
        <ProgressBar key={j.requestId} job={j} />
      ))}
      {!background && !jobs.length && <p className="muted small">No job is running.</p>}
    </Panel>
  );
}

function watchingLine(a: AutomationStatus): string {
  if (a.state === 'paused') return 'Paused: the app does not watch folders or run schedules (a headless greenlens watch is not affected).';
  if (a.state === 'idle') return 'Not watching: the policy names no watched folder.';
  const n = a.folders.length;
  return `Watching ${n} folder${n === 1 ? '' : 's'} in the app${a.schedules ? ` and running ${a.schedules} schedule${a.schedules === 1 ? '' : 's'}` : ''}: new files are processed as they arrive, and files that arrived while the app was closed were caught up when it opened.`;
}

function InAppWatching() {
  const a = useLoop((s) => s.automation);
  const paused = useApp((s) => s.settings?.automationPaused ?? false);
  if (!a) return null;
  const last = a.lastPass;
  return (
    <Panel title="In-app watching" testId="automation-watching">
      <p className="small" data-testid="automation-watching-state" data-state={a.state}>
        <span className={`badge ${a.state === 'watching' ? 'badge-healthy' : 'badge-neutral'}`}>{a.state}</span> {watchingLine(a)}
      </p>
      {a.state === 'watching' && (
        <p className="small" data-testid="automation-watching-totals">
          Since the app opened this registry: {a.totals.processed} file{a.totals.processed === 1 ? '' : 's'} processed, {a.totals.failed}{' '}
          failed.
        </p>
      )}
      {last && (
        <p className="small muted" data-testid="automation-watching-last">
          Last pass over <code>{last.folder}</code> at {fmtTime(Date.parse(last.endedAt))}:{' '}
          {last.cancelled
            ? 'cancelled (its file is resumed by the next pass).'
            : `${last.processed} processed, ${last.failed} failed, ${last.pending} still being written.`}
        </p>
      )}
      {a.message && (
        <p className="small badge-warning" role="status">
          {a.message}
        </p>
      )}
      <label className="inline-field">
        <input type="checkbox" checked={paused} onChange={(e) => void setAutomationPaused(e.target.checked)} /> Pause in-app watching
      </label>
    </Panel>
  );
}

function Schedules() {
  const schedules = useLoop((s) => s.schedules);
  return (
    <Panel title="Schedules" testId="automation-schedules">
      {schedules.length ? (
        <table className="table table-static">
          <thead>
            <tr>
              <th>Cron (UTC)</th>
              <th>Task</th>
              <th>Next run</th>
            </tr>
          </thead>
          <tbody>
            {schedules.map((s) => (
              <tr key={`${s.cron}-${s.task}`}>
                <td>
                  <code>{s.cron}</code>
                </td>
                <td>{s.task}</td>
                <td>{s.nextRun ? fmtTime(Date.parse(s.nextRun)) : (s.error ?? 'never')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState title="No schedule">
          Add one to the policy, e.g. <code>{'"schedule": [{ "cron": "0 3 * * *" }]'}</code>: it runs while the app is open (unless paused)
          and while <code>greenlens watch</code> runs.
        </EmptyState>
      )}
    </Panel>
  );
}

function Folders() {
  const folders = useLoop((s) => s.folders);
  const busy = useApp((s) => Object.values(s.jobs).some((j) => j.op === 'watch.run'));
  const passing = useLoop((s) => s.automation?.running != null);
  const last = useLoop((s) => s.lastWatch);
  return (
    <Panel title="Watched folders" testId="automation-folders">
      {folders.length ? (
        <ul className="plain-list">
          {folders.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>
              {f.model ? ` → ${f.model}` : ''}{' '}
              <button type="button" className="btn-small" disabled={busy || passing} onClick={() => void runWatch(f.path, f.model)}>
                Run now
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title="No watched folder">
          Add one to the policy, e.g. <code>{'"folders": [{ "path": "/data/meter-exports" }]'}</code>.
        </EmptyState>
      )}
      {last && (
        <p className="small" data-testid="automation-last-pass">
          Last pass: {last.processed.length} processed, {last.failed.length} failed, {last.pending.length} still being written.
        </p>
      )}
    </Panel>
  );
}

function PolicyEditor() {
  const text = useLoop((s) => s.policyText);
  const stored = useLoop((s) => s.policyStored);
  const [draft, setDraft] = useState(text);
  useEffect(() => setDraft(text), [text]);
  return (
    <Panel title="Policy (policy.json)" testId="automation-policy">
      <p className="muted small">
        {stored ? 'Stored in the registry.' : 'No policy.json yet: these are the defaults.'} Every field has a default; promote.rules are
        judged on an evaluation of the challenger against production on the same readings.
      </p>
      <textarea
        aria-label="Policy JSON"
        className="code-editor"
        rows={18}
        value={draft}
        spellCheck={false}
        onChange={(e) => setDraft(e.target.value)}
      />
      <div className="form-actions">
        <button type="button" className="btn-primary" disabled={draft === text && stored} onClick={() => void savePolicy(draft)}>
          Save policy
        </button>
      </div>
    </Panel>
  );
}

function outcome(j: JobRecord): string {
  return j.error ? `${j.outcome ? `${j.outcome}: ` : ''}${j.error}` : j.outcome;
}

function History() {
  const jobs = useLoop((s) => s.jobs);
  return (
    <Panel title="Job history (jobs.ndjson)" className="span-2" testId="automation-history">
      {jobs.length ? (
        <table className="table table-static">
          <thead>
            <tr>
              <th>Started</th>
              <th>Ended</th>
              <th>Job</th>
              <th>Status</th>
              <th>Versions</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <tr key={j.id}>
                <td>{j.startedAt ? fmtTime(Date.parse(j.startedAt)) : ''}</td>
                <td>{j.endedAt ? fmtTime(Date.parse(j.endedAt)) : '—'}</td>
                <td>
                  {j.kind}
                  {j.file ? ` · ${j.file.split(/[\\/]/).pop()}` : ''}
                </td>
                <td>{j.status}</td>
                <td>{j.versions.join(', ')}</td>
                <td className="small">{outcome(j)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState title="No jobs yet">Watched files, evaluations and promotions are listed here as they run.</EmptyState>
      )}
    </Panel>
  );
}

/** In-app watching (state, pause), the running job (progress, Cancel), schedules with next run, watched folders, the history and the policy editor. */
export function AutomationTab() {
  useEffect(() => {
    void loadAutomation();
    const offs = (['policy', 'jobs', 'versions', 'deployments', 'registry'] as const).map((t) => onTopic(t, () => void loadAutomation()));
    offs.push(followAutomation());
    return () => offs.forEach((off) => off());
  }, []);
  return (
    <div className="grid">
      <InAppWatching />
      <RunningJobs />
      <Schedules />
      <Folders />
      <PolicyEditor />
      <History />
    </div>
  );
}
