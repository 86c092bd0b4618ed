import { useState } from 'react';
import type { VersionMeta } from '../../../../src-main/contract/ops/registry';
import { fmtBytes, fmtInt } from '../../components/format';
import { Panel } from '../../components/Panel';
import { isBreakdownMetric } from '../../components/contextual-metrics';
import { fmtMetric, fmtParam, metricLabel, paramLabel, shortSha } from './format';
import { NotesEditor } from './NotesEditor';
import { PromoteDialog } from './PromoteDialog';

function Pairs({ rows }: { rows: [string, string][] }) {
  return (
    <dl className="pairs">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt title={k}>{k}</dt>
          <dd className="num" title={v}>
            {v}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function FileLine({ label, file }: { label: string; file: VersionMeta['artifact'] }) {
  return (
    <div className="file-line">
      <span className="muted">{label}</span> <code>{file.file}</code> <span className="num">{fmtBytes(file.bytes)}</span>{' '}
      <code title={file.sha256}>sha256 {shortSha(file.sha256)}</code>
    </div>
  );
}

/** Everything stored about one version, its editable notes, and Promote. */
export function VersionDetail({ version, aliases }: { version: VersionMeta; aliases: Record<string, string> }) {
  const [promoting, setPromoting] = useState(false);
  const td = version.trainingData;
  return (
    <Panel
      title={`Version ${version.version}`}
      testId="version-detail"
      actions={
        <button type="button" className="btn-primary" onClick={() => setPromoting(true)} disabled={version.archived}>
          Promote…
        </button>
      }
    >
      <div className="detail-head">
        {version.aliases.map((a) => (
          <span key={a} className="chip chip-alias">
            {a}
          </span>
        ))}
        {version.archived && <span className="chip">archived</span>}
        <span className="muted small">created {version.createdAt.replace('T', ' ').replace('Z', ' UTC')}</span>
      </div>
      <div className="detail-cols">
        <section>
          <h3>Parameters</h3>
          <Pairs rows={Object.entries(version.params).map(([k, v]) => [paramLabel(k), fmtParam(v)])} />
        </section>
        <section>
          <h3>Metrics</h3>
          {Object.keys(version.metrics).length ? (
            <Pairs
              rows={Object.entries(version.metrics)
                // Members, fault types and buildings have their own tables (ContextualPanel).
                .filter(([k]) => !isBreakdownMetric(k))
                .map(([k, v]) => [metricLabel(k), fmtMetric(k, v)])}
            />
          ) : (
            <p className="muted small">No metrics recorded.</p>
          )}
        </section>
      </div>
      <h3>Training data</h3>
      <p className="small">
        {fmtInt(td.rows)} rows · {td.columns.length} columns{td.source ? ` · from ${td.source}` : ''}
        <br />
        <span className="muted">{td.columns.join(', ')}</span>
        <br />
        <code title={td.sha256}>sha256 {shortSha(td.sha256)}</code>
      </p>
      <h3>Files</h3>
      <FileLine label="Artifact" file={version.artifact} />
      <FileLine label="Reference" file={version.reference} />
      <NotesEditor version={version} />
      <PromoteDialog version={version.version} current={aliases} open={promoting} onClose={() => setPromoting(false)} />
    </Panel>
  );
}
