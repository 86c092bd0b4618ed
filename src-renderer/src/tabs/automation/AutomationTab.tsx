import { useEffect, useState } from 'react';
import type { JobRecord } from '../../../../src-main/contract/shared/loop';
import { ProgressBar } from '../../components/Jobs';
import { EmptyState, Panel } from '../../components/Panel';
import { fmtTime } from '../../components/format';
import { loadAutomation, runWatch, savePolicy, useLoop } from '../../state/loop';
import { onTopic, useApp } from '../../state/store';
import './automation.css';

const AUTOMATION_OPS = new Set(['watch.run', 'model.evaluate', 'model.train']);

function RunningJobs() {
  // Select the record and filter outside: a selector returning a new array each time re-renders forever.
  const all = useApp((s) => s.jobs);
  const jobs = Object.values(all).filter((j) => AUTOMATION_OPS.has(j.op));
  return (
    <Panel title="Running" testId="automation-running">
      {jobs.length ? jobs.map((j) => <ProgressBar key={j.requestId} job={j} />) : <p className="muted small">No job is running.</p>}
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
          Add one to the policy, e.g. <code>{'"schedule": [{ "cron": "0 3 * * *" }]'}</code>: it runs while <code>greenlens watch</code>{' '}
          runs.
        </EmptyState>
      )}
    </Panel>
  );
}

function Folders() {
  const folders = useLoop((s) => s.folders);
  const busy = useApp((s) => Object.values(s.jobs).some((j) => j.op === 'watch.run'));
  const last = useLoop((s) => s.lastWatch);
  return (
    <Panel title="Watched folders" testId="automation-folders">
      {folders.length ? (
        <ul className="plain-list">
          {folders.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code>
              {f.model ? ` → ${f.model}` : ''}{' '}
              <button type="button" className="btn-small" disabled={busy} onClick={() => void runWatch(f.path, f.model)}>
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

/** Schedules with next run, watched folders, the running job (progress, Cancel), the history and the policy editor. */
export function AutomationTab() {
  useEffect(() => {
    void loadAutomation();
    const offs = (['policy', 'jobs', 'versions', 'deployments', 'registry'] as const).map((t) => onTopic(t, () => void loadAutomation()));
    return () => offs.forEach((off) => off());
  }, []);
  return (
    <div className="grid">
      <RunningJobs />
      <Schedules />
      <Folders />
      <PolicyEditor />
      <History />
    </div>
  );
}
