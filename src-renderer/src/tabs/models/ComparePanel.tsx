import type { CompareResult, EvaluationData, MetricDiff } from '../../../../src-main/contract/ops/registry';
import { EmptyState, Panel } from '../../components/Panel';
import { fmtInt } from '../../components/format';
import { useRegistry } from '../../state/registry';
import { fmtDelta, fmtMetric, fmtParam, metricLabel } from './format';
import { SameDataEvaluation } from './SameDataEvaluation';

/** Direction in words and an arrow, so colour is never the only signal (ARCHITECTURE §8a). */
function Verdict({ m }: { m: MetricDiff }) {
  if (m.delta === null) return <span className="muted">—</span>;
  if (m.delta === 0) return <span className="muted">= same</span>;
  if (m.caveat) return <span className="muted">{`${m.delta > 0 ? '↑ higher' : '↓ lower'} · ${m.caveat}`}</span>;
  if (m.better === null) return <span className="muted">{m.delta > 0 ? '↑ higher' : '↓ lower'}</span>;
  return m.better ? <span className="delta-better">▲ better</span> : <span className="delta-worse">▼ worse</span>;
}

/** "403 held-out rows of data 3f2a91c0 (sim.csv)": what a version's F1 and AUC were measured on. */
function measuredOn(e: EvaluationData): string {
  const data = `data ${e.dataSha256.slice(0, 8)}${e.source ? ` (${e.source})` : ''}`;
  if (e.on === 'holdout') return `${e.rows === null ? 'its' : fmtInt(e.rows)} held-out rows of ${data}`;
  if (e.on === 'training') return `its ${e.rows === null ? '' : `${fmtInt(e.rows)} `}training rows (no holdout) of ${data}`;
  return `not recorded; trained on ${data}`;
}

const TYPE = /^recall_/;
const BUILDING = /^building_/;
const MEMBER = /^member_/;

/** Metric rows of A and B with the change and whether B is better. */
function MetricTable({ c, rows, testId }: { c: CompareResult; rows: MetricDiff[]; testId: string }) {
  return (
    <table className="table table-static" data-testid={testId}>
      <caption className="sr-only">
        Metrics of {c.a} and {c.b}
      </caption>
      <thead>
        <tr>
          <th>Metric</th>
          <th className="num">A · {c.a}</th>
          <th className="num">B · {c.b}</th>
          <th className="num">B − A</th>
          <th>B is</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr key={m.name}>
            <td>{metricLabel(m.name)}</td>
            <td className="num">{fmtMetric(m.name, m.a)}</td>
            <td className="num">{fmtMetric(m.name, m.b)}</td>
            <td className={`num ${m.better === true && m.delta ? 'delta-better' : m.better === false && m.delta ? 'delta-worse' : ''}`}>
              {fmtDelta(m.name, m.delta)}
            </td>
            <td>
              <Verdict m={m} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Comparison({ c }: { c: CompareResult }) {
  const td = c.trainingData;
  // Recall per fault type side by side, and per building, each in a table of its own.
  const types = c.metrics.filter((m) => TYPE.test(m.name));
  const buildings = c.metrics.filter((m) => BUILDING.test(m.name));
  const members = c.metrics.filter((m) => MEMBER.test(m.name));
  return (
    <>
      <SameDataEvaluation a={c.a} b={c.b} />
      <div className="small" data-testid="compare-measured-on">
        <p>
          Quality metrics measured on — A · {c.a}: {measuredOn(c.evaluation.a)}; B · {c.b}: {measuredOn(c.evaluation.b)}.
        </p>
        {!c.evaluation.same && (
          <p role="note">
            ⚠ Different evaluation data: F1, precision, recall and AUC of the two versions are not directly comparable, so none is called
            better.
          </p>
        )}
      </div>
      <MetricTable
        c={c}
        rows={c.metrics.filter((m) => !TYPE.test(m.name) && !BUILDING.test(m.name) && !MEMBER.test(m.name))}
        testId="compare-metrics"
      />
      {members.length > 0 && (
        <>
          <h3 className="section-gap">Ensemble members</h3>
          <MetricTable c={c} rows={members} testId="compare-members" />
        </>
      )}
      {types.length > 0 && (
        <>
          <h3 className="section-gap">Recall by fault type</h3>
          <MetricTable c={c} rows={types} testId="compare-type-recall" />
        </>
      )}
      {buildings.length > 0 && (
        <>
          <h3 className="section-gap">Per building</h3>
          <MetricTable c={c} rows={buildings} testId="compare-buildings" />
        </>
      )}
      <h3 className="section-gap">Parameters that differ</h3>
      {c.params.length ? (
        <table className="table table-static" data-testid="compare-params">
          <thead>
            <tr>
              <th>Parameter</th>
              <th>A · {c.a}</th>
              <th>B · {c.b}</th>
            </tr>
          </thead>
          <tbody>
            {c.params.map((p) => (
              <tr key={p.key}>
                <td>{p.key}</td>
                <td>{fmtParam(p.a)}</td>
                <td>{fmtParam(p.b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted small">Identical parameters.</p>
      )}
      <h3 className="section-gap">Training data</h3>
      <p className="small">
        {fmtInt(td.rows.a)} → {fmtInt(td.rows.b)} rows ({td.rows.delta >= 0 ? '+' : '−'}
        {fmtInt(Math.abs(td.rows.delta))}) · {td.shaChanged ? 'different data' : 'same data'}
        {td.columnsAdded.length > 0 && ` · columns added: ${td.columnsAdded.join(', ')}`}
        {td.columnsRemoved.length > 0 && ` · columns removed: ${td.columnsRemoved.join(', ')}`}
      </p>
    </>
  );
}

/** Two ticked versions side by side: A is the older, B the newer. */
export function ComparePanel() {
  const picked = useRegistry((s) => s.picked);
  const comparison = useRegistry((s) => s.comparison);
  return (
    <Panel
      title={comparison ? `Compare ${comparison.a} → ${comparison.b}` : 'Compare versions'}
      testId="compare-panel"
      // Contextual versions bring members, fault types and buildings: the full width keeps every column readable at 1024 px.
      className={comparison?.metrics.some((m) => MEMBER.test(m.name) || BUILDING.test(m.name)) ? 'span-2' : undefined}
    >
      {comparison ? (
        <Comparison c={comparison} />
      ) : (
        <EmptyState title={picked.length === 1 ? `${picked[0]} ticked: tick one more` : 'Tick two versions to compare'}>
          Use the Compare boxes in the table. Metrics are shown with their change and whether it is better or worse; parameters and training
          data show what differs.
        </EmptyState>
      )}
    </Panel>
  );
}
