import type { DatasetInfo, FeatureSummary } from '../../../../src-main/contract/ops/data';
import { axisLabel } from '../../components/axis-format';
import { TimeSeriesChart } from '../../components/charts';
import { fmtInt, fmtNum } from '../../components/format';
import { Panel } from '../../components/Panel';
import { SortableTable, type ColumnDef } from '../../components/SortableTable';

const SUMMARY_COLUMNS: ColumnDef<FeatureSummary>[] = [
  { key: 'name', label: 'Column', value: (r) => r.name },
  { key: 'role', label: 'Role', value: (r) => r.role },
  { key: 'count', label: 'Count', value: (r) => r.count, render: (r) => fmtInt(r.count), numeric: true },
  { key: 'missing', label: 'Missing', value: (r) => r.missing, render: (r) => fmtInt(r.missing), numeric: true },
  { key: 'mean', label: 'Mean', value: (r) => r.mean, render: (r) => fmtNum(r.mean), numeric: true },
  { key: 'std', label: 'Std', value: (r) => r.std, render: (r) => fmtNum(r.std), numeric: true },
  { key: 'min', label: 'Min', value: (r) => r.min, render: (r) => fmtNum(r.min), numeric: true },
  { key: 'p50', label: 'Median', value: (r) => r.p50, render: (r) => fmtNum(r.p50), numeric: true },
  { key: 'max', label: 'Max', value: (r) => r.max, render: (r) => fmtNum(r.max), numeric: true },
];

/** A loaded dataset: its chart over time, per-column summary and a preview. */
export function DatasetView({ ds }: { ds: DatasetInfo }) {
  const summary = ds.summary.filter((s) => s.kind !== 'time');
  return (
    <>
      <Panel title={`${ds.chart.column} over time`} className="span-2" testId="dataset-chart">
        <p className="muted small">
          {ds.name}: {fmtInt(ds.rows)} rows
          {ds.labelledAnomalies !== null && `, ${fmtInt(ds.labelledAnomalies)} labelled anomalies`}
        </p>
        <TimeSeriesChart series={ds.chart.series} yLabel={axisLabel(ds.chart.column)} groups={ds.chart.groups} testId="total-kw-chart" />
      </Panel>
      <Panel title="Per-column summary" className="span-2">
        <SortableTable rows={summary} columns={SUMMARY_COLUMNS} rowKey={(r) => r.name} testId="summary-table" />
      </Panel>
      <Panel title={`Preview (first ${ds.preview.rows.length} rows)`} className="span-2">
        <div className="table-wrap preview">
          <table className="table" data-testid="preview-table">
            <thead>
              <tr>
                {ds.preview.header.map((h) => (
                  <th key={h}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {ds.preview.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j} className={/^-?\d/.test(cell) && !cell.includes('T') ? 'num' : undefined}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </>
  );
}
