import { typeRecalls } from './contextual-metrics';
import { fmtNum } from './format';

/** Recall per labelled fault type (`recall_<type>` metrics, or a score's recallByType), as a small table. */
export function TypeRecallTable({
  metrics,
  note,
  testId,
}: {
  metrics: Record<string, number | null | undefined>;
  note?: string;
  testId?: string;
}) {
  const rows = typeRecalls(metrics);
  if (rows.length === 0) {
    return <p className="muted small">No fault types recorded: the data had no fault-type column (e.g. anomaly_type).</p>;
  }
  return (
    <table className="table table-static" data-testid={testId}>
      {note && <caption className="muted small caption-left">Share of each fault type&apos;s readings flagged, {note}</caption>}
      <thead>
        <tr>
          <th>Fault type</th>
          <th className="num">Recall</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.type}>
            <td>{r.type}</td>
            <td className="num">{fmtNum(r.recall, 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
