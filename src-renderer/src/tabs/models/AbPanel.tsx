import { useEffect, useState } from 'react';
import type { AbKey, AbReport } from '../../../../src-main/contract/shared/ab';
import type { Series } from '../../../../src-main/contract/ops/data';
import { TimeSeriesChart } from '../../components/charts';
import { fmtInt, fmtPct } from '../../components/format';
import { Panel } from '../../components/Panel';
import { AB_ALIAS, loadAb, startAb, stopAb, useAb } from '../../state/ab';
import { useRegistry } from '../../state/registry';
import { PromoteDialog } from './PromoteDialog';

const ARM_LABEL = { champion: 'Champion', challenger: 'Challenger', shadow: 'Shadow' } as const;

function ReportView({ r }: { r: AbReport }) {
  const other = r.run.mode === 'ab' ? 'challenger' : 'shadow';
  const shown = r.arms.filter((a) => a.arm === 'champion' || a.arm === other);
  const series: Series[] = shown.map((a) => {
    const pts = r.series.points.filter((p) => p[a.arm] !== null);
    return { name: `${ARM_LABEL[a.arm]} anomaly rate`, x: pts.map((p) => p.time), y: pts.map((p) => 100 * p[a.arm]!) };
  });
  return (
    <>
      <p className={r.verdict.decided ? 'ab-verdict' : 'ab-verdict muted'} data-testid="ab-verdict" role="status">
        {r.verdict.decided ? '✔ ' : '… '}
        {r.verdict.message}
      </p>
      <table className="table table-static" data-testid="ab-arms">
        <thead>
          <tr>
            <th>Arm</th>
            <th>Version</th>
            <th className="num">Readings</th>
            <th className="num">Flagged</th>
            <th className="num">Anomaly rate</th>
            <th className="num">F1 (95 % bootstrap)</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((a) => (
            <tr key={a.arm}>
              <td>{ARM_LABEL[a.arm]}</td>
              <td>{a.versions.join(', ') || '—'}</td>
              <td className="num">{fmtInt(a.readings)}</td>
              <td className="num">{fmtInt(a.flagged)}</td>
              <td className="num">{fmtPct(a.anomalyRate, 2)}</td>
              <td className="num">{a.f1 ? `${a.f1.value.toFixed(3)} (${a.f1.low.toFixed(3)} – ${a.f1.high.toFixed(3)})` : 'no labels'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.verdict.test && (
        <p className="small">
          Two-proportion z-test (challenger − champion): difference {fmtPct(r.verdict.test.difference, 2)}, z {r.verdict.test.z.toFixed(2)},
          p {r.verdict.test.pValue < 0.001 ? r.verdict.test.pValue.toExponential(1) : r.verdict.test.pValue.toFixed(3)}
        </p>
      )}
      {r.shadow && r.shadow.matched > 0 && (
        <p className="small" data-testid="ab-shadow">
          Shadow agreement on {fmtInt(r.shadow.matched)} readings: Jaccard {r.shadow.jaccard!.toFixed(3)}, mean score shift{' '}
          {r.shadow.meanScoreShift!.toFixed(4)}, {fmtInt(r.shadow.flagsChanged)} flags would change.
        </p>
      )}
      {r.series.points.length > 0 && (
        <TimeSeriesChart series={series} yLabel="% flagged" xLabel="data time (UTC)" height={220} testId="ab-chart" />
      )}
    </>
  );
}

/** One empty object: a selector that returned a fresh `{}` would make every read a change (zustand 5 then loops). */
const NO_ALIASES: Record<string, string> = {};

/**
 * A/B and shadow on the production alias: start or stop a run for the selected
 * version, the report with its verdict and the anomaly rate per arm over data
 * time; promotion goes through the usual dialog, its reason citing the run.
 */
export function AbPanel() {
  const model = useRegistry((s) => s.model);
  const selected = useRegistry((s) => s.selected);
  const aliases = useRegistry((s) => s.list?.aliases ?? NO_ALIASES);
  const { runs, report } = useAb();
  const [share, setShare] = useState('10');
  const [by, setBy] = useState<AbKey>('building');
  const [promoting, setPromoting] = useState(false);
  useEffect(() => {
    void loadAb();
  }, [model]);
  const champion = aliases[AB_ALIAS];
  const active = runs.find((r) => r.stoppedAt === null) ?? null;
  const shareNum = Number(share) / 100;
  const canStart = !active && selected !== null && champion !== undefined && selected !== champion;
  const shareOk = Number.isFinite(shareNum) && shareNum > 0 && shareNum <= 0.5;
  return (
    <Panel title={`A/B and shadow · ${AB_ALIAS}`} className="span-2" testId="ab-panel">
      {champion === undefined ? (
        <p className="muted">
          Promote a version to {AB_ALIAS} first: a run splits what {AB_ALIAS} scores.
        </p>
      ) : active ? (
        <div className="form-actions">
          <span data-testid="ab-active">
            {active.mode === 'ab'
              ? `A/B running: ${active.challenger} decides ${fmtPct(active.share, 0)} of readings by ${active.by}, ${champion} the rest.`
              : `Shadow running: ${active.challenger} scores every reading ${AB_ALIAS} scores and decides none.`}
          </span>
          <button type="button" onClick={() => void stopAb()}>
            Stop run
          </button>
        </div>
      ) : (
        <div className="form-actions">
          <label className="inline-field">
            Share %
            <input
              aria-label="Challenger share (%)"
              type="number"
              min={1}
              max={50}
              step={1}
              value={share}
              onChange={(e) => setShare(e.target.value)}
              style={{ width: '5em' }}
            />
          </label>
          <label className="inline-field">
            Split by
            <select aria-label="Split by" value={by} onChange={(e) => setBy(e.target.value as AbKey)}>
              <option value="building">building</option>
              <option value="reading">reading</option>
            </select>
          </label>
          <button
            type="button"
            className="btn-primary"
            disabled={!canStart || !shareOk}
            onClick={() => void startAb(selected!, 'ab', shareNum, by)}
          >
            {selected && selected !== champion ? `Start A/B of ${selected}` : 'Start A/B (select a challenger version)'}
          </button>
          <button type="button" disabled={!canStart} onClick={() => void startAb(selected!, 'shadow', 0, by)}>
            {selected && selected !== champion ? `Shadow ${selected}` : 'Shadow'}
          </button>
        </div>
      )}
      {report ? (
        <>
          <h3 className="section-gap">
            {report.run.stoppedAt ? 'Last run' : 'Current run'} · {report.run.mode === 'ab' ? 'A/B' : 'shadow'} of {report.run.challenger}{' '}
            <span className="muted small">since {report.run.startedAt.slice(0, 16).replace('T', ' ')} UTC</span>
          </h3>
          <ReportView r={report} />
          {report.run.mode === 'ab' && report.run.challenger !== champion && (
            <button type="button" onClick={() => setPromoting(true)}>
              Promote {report.run.challenger}…
            </button>
          )}
          <PromoteDialog
            version={report.run.challenger}
            current={aliases}
            open={promoting}
            onClose={() => setPromoting(false)}
            initialReason={`A/B run ${report.run.id.slice(0, 8)}: ${report.verdict.message}`.slice(0, 500)}
          />
        </>
      ) : (
        champion !== undefined && (
          <p className="muted small">
            Select a version in the table, then start an A/B run (it decides a share of what {AB_ALIAS} scores, on the Data tab, in live
            streams and in watched folders) or a shadow run (it scores everything and decides nothing).
          </p>
        )
      )}
    </Panel>
  );
}
