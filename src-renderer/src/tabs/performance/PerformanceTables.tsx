import type { PerformanceResult, VersionPerformanceView } from '../../../../src-main/contract/ops/monitoring';
import { Panel } from '../../components/Panel';
import { SortableTable, type ColumnDef } from '../../components/SortableTable';
import { fmtInt, fmtMs, fmtNum, fmtPct, fmtTime } from '../../components/format';
import { fmtPerReading, fmtRate } from './rate';

/** Online requests by request latency, batches by latency per reading: never one mixed list. */
export function LatencyTable({ p }: { p: PerformanceResult }) {
  const l = p.latency;
  const b = p.readingLatency;
  if (!l && !b) return <p className="muted">No requests in this window.</p>;
  const rows: Array<[string, string]> = [];
  if (l) {
    rows.push(
      ['Online requests', fmtInt(l.requests)],
      ['Request latency mean', fmtMs(l.meanMs)],
      ['Request latency p50', fmtMs(l.p50Ms)],
      ['Request latency p95', fmtMs(l.p95Ms)],
      ['Request latency p99', fmtMs(l.p99Ms)],
      ['Request latency max', fmtMs(l.maxMs)],
    );
  }
  if (b) {
    rows.push(
      ['Batches', `${fmtInt(b.requests)} (${fmtInt(p.batch.readings)} readings)`],
      ['Batch latency p50', fmtPerReading(b.p50Ms)],
      ['Batch latency p95', fmtPerReading(b.p95Ms)],
      ['Batch latency max', fmtPerReading(b.maxMs)],
    );
  }
  rows.push(['Throughput', `${fmtRate(p.throughputPerSec)} readings (scoring time)`]);
  return (
    <table className="table stat-table" data-testid="latency-table">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td className="num">{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AccuracyPanel({ p }: { p: PerformanceResult }) {
  const c = p.classification;
  return (
    <Panel title="Accuracy (labelled readings)">
      {!c ? (
        <p className="muted">
          No labelled readings in this window. Score data with a label column (e.g. is_anomaly) to see precision, recall and F1.
        </p>
      ) : (
        <table className="table stat-table" data-testid="accuracy-table">
          <tbody>
            <tr>
              <th scope="row">Precision</th>
              <td className="num">{fmtNum(c.precision, 3)}</td>
            </tr>
            <tr>
              <th scope="row">Recall</th>
              <td className="num">{fmtNum(c.recall, 3)}</td>
            </tr>
            <tr>
              <th scope="row">F1</th>
              <td className="num">{fmtNum(c.f1, 3)}</td>
            </tr>
            <tr>
              <th scope="row">Labelled readings</th>
              <td className="num">{fmtInt(c.labelled)}</td>
            </tr>
            <tr>
              <th scope="row">True / false positives</th>
              <td className="num">
                {fmtInt(c.truePositives)} / {fmtInt(c.falsePositives)}
              </td>
            </tr>
            <tr>
              <th scope="row">False negatives / true negatives</th>
              <td className="num">
                {fmtInt(c.falseNegatives)} / {fmtInt(c.trueNegatives)}
              </td>
            </tr>
          </tbody>
        </table>
      )}
    </Panel>
  );
}

const COLUMNS: ColumnDef<VersionPerformanceView>[] = [
  { key: 'version', label: 'Version', value: (v) => v.version },
  { key: 'requests', label: 'Requests', value: (v) => v.requests, render: (v) => fmtInt(v.requests), numeric: true },
  { key: 'predictions', label: 'Predictions', value: (v) => v.predictions, render: (v) => fmtInt(v.predictions), numeric: true },
  { key: 'rate', label: 'Anomaly rate', value: (v) => v.anomalyRate, render: (v) => fmtPct(v.anomalyRate, 2), numeric: true },
  { key: 'mean', label: 'Mean', value: (v) => v.latency?.meanMs ?? null, render: (v) => fmtMs(v.latency?.meanMs), numeric: true },
  { key: 'p50', label: 'p50', value: (v) => v.latency?.p50Ms ?? null, render: (v) => fmtMs(v.latency?.p50Ms), numeric: true },
  { key: 'p95', label: 'p95', value: (v) => v.latency?.p95Ms ?? null, render: (v) => fmtMs(v.latency?.p95Ms), numeric: true },
  { key: 'p99', label: 'p99', value: (v) => v.latency?.p99Ms ?? null, render: (v) => fmtMs(v.latency?.p99Ms), numeric: true },
  { key: 'first', label: 'First scored', value: (v) => v.firstMs, render: (v) => (v.firstMs !== null ? fmtTime(v.firstMs) : '—') },
  { key: 'last', label: 'Last scored', value: (v) => v.lastMs, render: (v) => (v.lastMs !== null ? fmtTime(v.lastMs) : '—') },
];

export function VersionTable({ p }: { p: PerformanceResult }) {
  return (
    <SortableTable
      rows={p.byVersion}
      columns={COLUMNS}
      rowKey={(v) => `${v.model}@${v.version}`}
      caption="Latency by model version"
      testId="version-latency-table"
    />
  );
}
