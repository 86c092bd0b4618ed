import { useState } from 'react';
import type { EvaluatedVersion, EvaluationResult, Interval } from '../../../../src-main/contract/shared/loop';
import { fmtInt } from '../../components/format';
import { evaluateSameData, useLoop } from '../../state/loop';
import { useRegistry } from '../../state/registry';
import { useApp } from '../../state/store';

const f3 = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(3));
const ci = (i: Interval | null | undefined): string => (i ? `${i.low.toFixed(3)} – ${i.high.toFixed(3)}` : '');
const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;

function Row({
  name,
  a,
  b,
  fa,
  fb,
}: {
  name: string;
  a: EvaluatedVersion;
  b: EvaluatedVersion;
  fa: (s: EvaluatedVersion) => string;
  fb?: (s: EvaluatedVersion) => string;
}) {
  const extra = fb ?? (() => '');
  return (
    <tr>
      <td>{name}</td>
      <td className="num">
        {fa(a)} <span className="muted small">{extra(a)}</span>
      </td>
      <td className="num">
        {fa(b)} <span className="muted small">{extra(b)}</span>
      </td>
    </tr>
  );
}

function Result({ r }: { r: EvaluationResult }) {
  const { champion: a, challenger: b } = r;
  const types = Object.keys(b.labelled?.recallByType ?? {});
  return (
    <>
      <p className="small">
        Both versions scored the same {fmtInt(r.data.rows)} rows of {r.data.name} ({fmtInt(r.data.labelled)} labelled). Intervals: 95 %
        bootstrap, {r.bootstrap.resamples} resamples, seed {r.bootstrap.seed}.
      </p>
      <table className="table table-static" data-testid="same-data-metrics">
        <thead>
          <tr>
            <th>On the same data</th>
            <th className="num">Champion · {a.version}</th>
            <th className="num">Challenger · {b.version}</th>
          </tr>
        </thead>
        <tbody>
          <Row name={`Anomaly rate (target ${pct(r.targetRate)})`} a={a} b={b} fa={(s) => pct(s.anomalyRate)} />
          {a.labelled && b.labelled && (
            <>
              <Row name="Precision" a={a} b={b} fa={(s) => f3(s.labelled?.precision)} fb={(s) => ci(s.labelled?.ci.precision)} />
              <Row name="Recall" a={a} b={b} fa={(s) => f3(s.labelled?.recall)} fb={(s) => ci(s.labelled?.ci.recall)} />
              <Row name="F1" a={a} b={b} fa={(s) => f3(s.labelled?.f1)} fb={(s) => ci(s.labelled?.ci.f1)} />
              <Row name="ROC AUC" a={a} b={b} fa={(s) => f3(s.labelled?.rocAuc)} fb={(s) => ci(s.labelled?.ci.rocAuc)} />
              {types.map((t) => (
                <Row key={t} name={`Recall · ${t}`} a={a} b={b} fa={(s) => f3(s.labelled?.recallByType[t])} />
              ))}
            </>
          )}
          <Row name="Latency p95 (ms per 1,000 readings)" a={a} b={b} fa={(s) => s.latencyP95MsPer1k.toFixed(2)} />
        </tbody>
      </table>
      <p className="small">
        Flag agreement (Jaccard) {r.jaccard.toFixed(3)} · score shift KS {r.scoreShift.ks.toFixed(3)}
        {r.delta && ` · challenger − champion F1 ${ci(r.delta.f1)}${r.delta.rocAuc ? `, ROC AUC ${ci(r.delta.rocAuc)}` : ''}`}
      </p>
    </>
  );
}

/** The compare that judges both versions on one evaluation set (model.evaluate), above the per-version holdout figures. */
export function SameDataEvaluation({ a, b }: { a: string; b: string }) {
  const model = useRegistry((s) => s.model);
  const datasets = useApp((s) => s.datasets);
  const current = useApp((s) => s.currentDatasetId);
  const [datasetId, setDatasetId] = useState(current ?? '');
  const result = useLoop((s) => s.evaluation);
  const busy = useApp((s) => Object.values(s.jobs).some((j) => j.op === 'model.evaluate'));
  const shown = result && result.champion.version === a && result.challenger.version === b ? result : null;
  return (
    <section data-testid="same-data-evaluation">
      <h3>On the same data</h3>
      <div className="form-actions">
        <label className="inline-field">
          Evaluation set
          <select aria-label="Evaluation dataset" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
            <option value="">choose a dataset…</option>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn-primary"
          disabled={!datasetId || busy}
          onClick={() => void evaluateSameData(model, a, b, datasetId)}
        >
          {busy ? 'Evaluating…' : `Evaluate ${b} against ${a}`}
        </button>
      </div>
      {shown ? <Result r={shown} /> : <p className="muted small">Scores A as champion and B as challenger on the chosen rows.</p>}
      <h3 className="section-gap">Holdout figures (each version measured on its own holdout)</h3>
    </section>
  );
}
