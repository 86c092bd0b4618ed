import type { ScoreResult } from '../../../../src-main/contract/ops/model';
import { axisLabel } from '../../components/axis-format';
import { useEffect, useState } from 'react';
import type { DatasetInfo } from '../../../../src-main/contract/ops/data';
import type { VersionList } from '../../../../src-main/contract/ops/registry';
import { TimeSeriesChart } from '../../components/charts';
import { fmtInt, fmtMs, fmtNum, fmtPct } from '../../components/format';
import { fmtScore } from './score-format';
import { MetricCard } from '../../components/MetricCard';
import { EmptyState, Panel } from '../../components/Panel';
import { explain, refreshVersions, scoreCurrent, useModel, watchVersions, type VersionChoice } from '../../state/model';
import { useApp } from '../../state/store';
import { ExplanationPanel } from './ExplanationPanel';
import { FlaggedTable } from './FlaggedTable';
import { saveFile } from '../../api/save-file';

/** Score the current dataset with a registered version; flagged readings on the chart, in a table, and explained. */
export function ScorePanel({ ds }: { ds: DatasetInfo | null }) {
  const versions = useModel((s) => s.versions);
  const score = useModel((s) => s.score);
  const [choice, setChoice] = useState<VersionChoice>('');
  const [log, setLog] = useState(true);
  const busy = useApp((s) => Object.values(s.jobs).some((j) => j.op === 'model.score'));
  useEffect(() => {
    void refreshVersions();
    return watchVersions();
  }, []);
  const list = versions?.versions ?? [];
  const aliases = Object.entries(versions?.aliases ?? {});
  // A version picked for one model means nothing for the next one selected.
  const model = versions?.model ?? null;
  useEffect(() => setChoice(''), [model]);
  const target = scoreTarget(versions, choice);
  const controls = (
    <div className="form-actions">
      <label>
        <span className="sr-only">Model version to score with</span>
        <select
          aria-label="Model version"
          value={choice}
          onChange={(e) => setChoice(e.target.value as VersionChoice)}
          disabled={list.length === 0}
        >
          <option value="">Default (production, else latest)</option>
          {aliases.map(([alias, v]) => (
            <option key={alias} value={`alias:${alias}`}>
              {alias} → {v}
            </option>
          ))}
          {[...list].reverse().map((v) => (
            <option key={v.version} value={`version:${v.version}`}>
              {v.version}
              {v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="small">
        <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} /> Log predictions
      </label>
      <button
        type="button"
        className="btn-primary"
        disabled={busy || !ds || list.length === 0}
        onClick={() => void scoreCurrent(choice, log)}
      >
        {busy ? 'Scoring…' : 'Score dataset'}
      </button>
    </div>
  );
  return (
    <>
      <Panel title="Score" className="span-2" testId="score-panel" actions={controls}>
        {target && (
          <p className="small" data-testid="score-target">
            Scores with <strong>{target.model}</strong> <span className="chip">{target.version}</span>
            {target.alias && <span className="chip chip-alias">{target.alias}</span>}{' '}
            <span className="muted">— the model selected on the Models tab</span>
          </p>
        )}
        {list.length === 0 ? (
          <EmptyState title="No model to score with">
            Train a model above; every training registers a version you can score with here.
          </EmptyState>
        ) : !score ? (
          <EmptyState title="Not scored yet">
            Pick a version and press Score dataset to flag unusual readings in {ds ? <strong>{ds.name}</strong> : 'the current dataset'}.
            Click a flagged reading to see why.
          </EmptyState>
        ) : (
          <ScoreSummary />
        )}
      </Panel>
      {score && (
        <>
          <Panel title="Flagged readings" testId="flagged-panel">
            <FlaggedTable />
          </Panel>
          <ExplanationPanel />
        </>
      )}
    </>
  );
}

/** The model and version a score will use: what the backend resolves for the same choice (production, else newest live). */
function scoreTarget(list: VersionList | null, choice: VersionChoice): { model: string; version: string; alias: string | null } | null {
  if (!list || list.versions.length === 0) return null;
  if (choice.startsWith('version:')) return { model: list.model, version: choice.slice(8), alias: null };
  const alias = choice.startsWith('alias:') ? choice.slice(6) : 'production';
  const aliased = list.aliases[alias];
  if (aliased) return { model: list.model, version: aliased, alias };
  const live = list.versions.filter((v) => !v.archived);
  const newest = (live.length ? live : list.versions).at(-1)!;
  return { model: list.model, version: newest.version, alias: null };
}

/** The same version on the same dataset, not logged again: the file holds what the summary shows. */
function downloadInput(s: ScoreResult, outRows: 'all' | 'flagged') {
  return { datasetId: s.datasetId, model: s.model, version: s.version, log: false, outRows };
}

function ScoreSummary() {
  const s = useModel((st) => st.score)!;
  const dataset = useApp((st) => st.datasets.find((d) => d.id === s.datasetId)?.name ?? 'a dataset');
  return (
    <>
      <div className="metrics-row">
        <MetricCard
          label="Anomalies"
          value={<span data-testid="score-anomalies">{fmtInt(s.anomalies)}</span>}
          detail={`of ${fmtInt(s.rows)} readings (${fmtPct(s.anomalyRate)})`}
          status={s.anomalies ? 'warning' : 'healthy'}
        />
        <MetricCard
          label="Version"
          value={s.version}
          detail={
            s.ab
              ? s.ab.mode === 'ab'
                ? `A/B: ${s.ab.challenger} decided ${fmtInt(s.ab.challengerReadings)} readings`
                : `shadow ${s.ab.challenger} scored every reading, decided none`
              : `${s.model} · threshold ${fmtScore(s.threshold)}`
          }
        />
        <MetricCard
          label="Latency"
          value={fmtMs(s.latencyMs)}
          detail={`${s.logged ? `${fmtInt(s.logged)} predictions logged` : 'not logged'}${s.threads > 1 ? ` · ${s.threads} threads` : ''}`}
        />
        <MetricCard
          label="F1 against labels"
          value={fmtNum(s.evaluation?.f1, 3)}
          detail={
            s.evaluation
              ? `P ${fmtNum(s.evaluation.precision, 2)} · R ${fmtNum(s.evaluation.recall, 2)} · AUC ${fmtNum(s.evaluation.rocAuc, 3)}`
              : 'no label column'
          }
        />
      </div>
      {s.warnings.map((w) => (
        <p key={w} className="small" role="status" data-testid="score-warning">
          ⚠ {w}
        </p>
      ))}
      <div className="form-actions">
        <button
          type="button"
          className="btn-small"
          onClick={() => void saveFile('model.score', downloadInput(s, 'all'), `scored-${s.datasetId}.csv`)}
        >
          Download scored rows (CSV)
        </button>
        <button
          type="button"
          className="btn-small"
          disabled={s.anomalies === 0}
          onClick={() => void saveFile('model.score', downloadInput(s, 'flagged'), `flagged-${s.datasetId}.csv`)}
        >
          Download all {fmtInt(s.anomalies)} flagged readings (CSV)
        </button>
      </div>
      <p className="muted small">
        {dataset}: {s.chart.column} over time; red diamonds are flagged readings
        {s.chart.markers.length < s.anomalies ? ` (the ${fmtInt(s.chart.markers.length)} highest-scoring shown)` : ''}. Click one to explain
        it.
      </p>
      <TimeSeriesChart
        series={s.chart.series}
        markers={s.chart.markers.map((m) => ({ x: m.x, y: m.y, id: String(m.row) }))}
        onMarkerClick={(m) => m.id !== undefined && void explain(Number(m.id))}
        time={s.chart.time}
        yLabel={axisLabel(s.chart.column)}
        groups={s.chart.groups}
        height={300}
        testId="score-chart"
      />
    </>
  );
}
