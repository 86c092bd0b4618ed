import type { VersionMeta } from '../../../../src-main/contract/ops/registry';
import { BarsChart } from '../../components/charts';
import { fmtInt, fmtNum, fmtPct } from '../../components/format';
import { importanceRows, memberLedShares } from '../../components/importance-metrics';
import { Panel } from '../../components/Panel';

/** Versions compared side by side: the selected one and up to this many before it. */
const COMPARED = 4;

/**
 * Which features drive a version's flags (attribution over the flagged
 * evaluation readings) and its score (permutation importance), with the same
 * figures of the versions before it, so a shift in what the model relies on shows.
 */
export function ImportancePanel({ versions, current }: { versions: VersionMeta[]; current: VersionMeta }) {
  const rows = importanceRows(current.metrics);
  if (rows.length === 0) return null;
  const at = versions.findIndex((v) => v.version === current.version);
  const compared = versions.slice(Math.max(0, at - COMPARED + 1), at + 1).filter((v) => importanceRows(v.metrics).length > 0);
  const members = memberLedShares(current.metrics);
  const contextual = current.params.algorithm === 'contextual';
  const flagged = current.metrics.importanceFlagged ?? null;
  const rowsRescored = current.metrics.importanceRows ?? null;
  // Attribution averages over flagged readings; with none (a clean holdout) only permutation says anything.
  const noFlags = flagged === 0 || rows.every((r) => !r.attribution);
  return (
    <Panel title={`Feature importance · ${current.version}`} className="span-2" testId="importance-panel">
      <p className="muted small">
        Attribution: mean share of each feature in the explanations of the flagged{' '}
        {current.metrics.evaluatedOn === 1 ? 'held-out' : 'evaluation'} readings
        {contextual ? ' (meter residuals, rules and the context forest)' : ''}. Permutation: mean change of the anomaly score when the
        feature is shuffled{contextual ? ' within each building' : ''} (seeded).
      </p>
      <div className="detail-cols">
        <section>
          {noFlags ? (
            <p className="muted small" data-testid="importance-no-flags">
              No evaluation reading was flagged, so no flag is attributed; the chart shows permutation importance.
            </p>
          ) : (
            flagged !== null && (
              <p className="muted small">
                Attribution over {fmtInt(flagged)} flagged readings
                {contextual ? '; permutation on ' + fmtInt(rowsRescored) + ' readings' : ''}.
              </p>
            )
          )}
          <BarsChart
            data={rows.map((r) => ({ name: r.feature, value: (noFlags ? r.permutation : r.attribution) ?? 0 }))}
            valueFormat={(v) => (noFlags ? fmtNum(v, 2) : fmtPct(v, 0))}
            height={200}
            testId="importance-chart"
          />
          {members.length > 0 && (
            <p className="muted small" data-testid="importance-members">
              Flags raised by member: {members.map((m) => `${m.member} ${fmtPct(m.share, 0)}`).join(' · ')}
            </p>
          )}
        </section>
        <section>
          <table className="table table-static" data-testid="importance-table">
            <caption className="sr-only">Feature importance across versions</caption>
            <thead>
              <tr>
                <th>Feature</th>
                {compared.map((v) => (
                  <th key={v.version} className="num" title={`Attribution of ${v.version}`}>
                    {v.version}
                  </th>
                ))}
                <th className="num">Permutation</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.feature}>
                  <td>{r.feature}</td>
                  {compared.map((v) => (
                    <td key={v.version} className="num">
                      {fmtPct(v.metrics[`importance_${r.feature}`], 0)}
                    </td>
                  ))}
                  <td className="num">{fmtNum(r.permutation, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">Attribution per version (columns, oldest first); permutation of {current.version}.</p>
        </section>
      </div>
    </Panel>
  );
}
