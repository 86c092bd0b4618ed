import type { VersionMeta } from '../../../../src-main/contract/ops/registry';
import { BarsChart } from '../../components/charts';
import { buildingRows, memberRows, type BuildingRow } from '../../components/contextual-metrics';
import { fmtNum, fmtPct } from '../../components/format';
import { Panel } from '../../components/Panel';
import { SortableTable, type ColumnDef } from '../../components/SortableTable';
import { TypeRecallTable } from '../../components/TypeRecallTable';

/** What each member of the ensemble looks at (README "The model"). */
const MEMBER_HINTS: Record<string, string> = {
  residual: 'reading vs the time-of-week-and-temperature baseline',
  sustained: 'baseline residual held over a trailing window',
  rules: 'stuck sensor, zero/negative load, sudden jump',
  forest: 'Isolation Forest on context features',
};

const BUILDING_COLUMNS: ColumnDef<BuildingRow>[] = [
  { key: 'id', label: 'Building', value: (r) => r.id },
  { key: 'rate', label: 'Anomaly rate', value: (r) => r.anomalyRate, render: (r) => fmtPct(r.anomalyRate, 2), numeric: true },
  { key: 'f1', label: 'F1 (labelled)', value: (r) => r.f1, render: (r) => fmtNum(r.f1, 3), numeric: true },
  {
    key: 'baseline',
    label: 'Baseline',
    value: (r) => (r.fleet === null ? null : r.fleet ? 'fleet' : 'own'),
    render: (r) => (r.fleet === null ? '—' : r.fleet ? <span className="chip chip-warn">fleet fallback</span> : 'own'),
  },
];

/**
 * A contextual version's ensemble: its members with their weights and separate
 * figures, recall per fault type, and one row and bar per building (anomaly
 * rate, F1 where labelled, whether it fell back to the fleet baseline).
 */
export function ContextualPanel({ version }: { version: VersionMeta }) {
  const m = version.metrics;
  const members = memberRows(m);
  const buildings = buildingRows(m);
  const where = m.evaluatedOn === 1 ? 'held-out readings' : 'training readings';
  return (
    <Panel title={`Contextual detector · ${version.version}`} className="span-2" testId="contextual-panel">
      <p className="muted small">
        {members.length} members combined into one calibrated score (weighted maximum, flagged above{' '}
        {fmtNum(version.params.threshold as number | undefined, 2)}); meters{' '}
        {Array.isArray(version.params.meters) ? (version.params.meters as string[]).join(', ') : '—'}; temperature{' '}
        {typeof version.params.temperatureColumn === 'string' ? version.params.temperatureColumn : 'none'}.
      </p>
      <div className="detail-cols">
        <section>
          <h3>Members</h3>
          <table className="table table-static" data-testid="contextual-members">
            <thead>
              <tr>
                <th>Member</th>
                <th className="num">Weight</th>
                <th className="num" title="Share of training readings this member alone flags">
                  Flags alone
                </th>
                <th className="num">ROC AUC</th>
                <th className="num">Recall</th>
              </tr>
            </thead>
            <tbody>
              {members.map((r) => (
                <tr key={r.name}>
                  <td>
                    {r.name}
                    {MEMBER_HINTS[r.name] && <div className="muted small">{MEMBER_HINTS[r.name]}</div>}
                  </td>
                  <td className="num">{fmtNum(r.weight, 2)}</td>
                  <td className="num">{fmtPct(r.flagged, 2)}</td>
                  <td className="num">{fmtNum(r.rocAuc, 3)}</td>
                  <td className="num">{fmtNum(r.recall, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h3>Recall by fault type</h3>
          <TypeRecallTable metrics={m} note={`on ${where}`} testId="contextual-type-recall" />
        </section>
      </div>
      <h3 className="section-gap">Per building ({buildings.length})</h3>
      {buildings.length === 0 ? (
        <p className="muted small">One building (no id column): its figures are the version&apos;s.</p>
      ) : (
        <div className="detail-cols">
          <section>
            <BarsChart
              data={buildings.map((b) => ({ name: b.id, value: b.anomalyRate ?? 0, flagged: b.fleet === true }))}
              valueFormat={(v) => fmtPct(v, 1)}
              height={200}
              testId="building-chart"
            />
            <p className="muted small">Anomaly rate on the training readings; orange bars use the fleet baseline.</p>
          </section>
          <section>
            <SortableTable
              rows={buildings}
              columns={BUILDING_COLUMNS}
              rowKey={(r) => r.id}
              caption="Per-building figures"
              testId="building-table"
            />
          </section>
        </div>
      )}
    </Panel>
  );
}
