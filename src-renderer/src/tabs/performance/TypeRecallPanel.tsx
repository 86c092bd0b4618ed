import { typeRecalls } from '../../components/contextual-metrics';
import { fmtNum } from '../../components/format';
import { Panel } from '../../components/Panel';
import { useModel } from '../../state/model';
import { activeFrom, useRegistry } from '../../state/registry';

/**
 * Recall per fault type for the selected model, side by side: as measured when
 * its active version (production, else the newest) was trained, and on the
 * last scoring of labelled data in this session. Only data with a fault-type
 * column (e.g. anomaly_type) has it.
 */
export function TypeRecallPanel({ model }: { model: string }) {
  const list = useRegistry((s) => s.list);
  const score = useModel((s) => s.score);
  const active = list?.model === model ? activeFrom(list) : null;
  const version = active ? list?.versions.find((v) => v.version === active.version) : undefined;
  const trained = new Map(version ? typeRecalls(version.metrics).map((r) => [r.type, r.recall]) : []);
  const scored = score?.model === model && score.recallByType ? score : null;
  const onScore = new Map(Object.entries(scored?.recallByType ?? {}));
  const types = [...new Set([...trained.keys(), ...onScore.keys()])].sort();
  return (
    <Panel title="Recall by fault type" testId="performance-type-recall">
      {types.length === 0 ? (
        <p className="muted small">
          No recall per fault type for {model}
          {version ? ` ${version.version}` : ''}: it needs labelled data with a fault-type column (e.g. anomaly_type), as the year simulator
          writes.
        </p>
      ) : (
        <table className="table table-static" data-testid="type-recall">
          <caption className="muted small caption-left">
            Share of each fault type&apos;s readings flagged
            {version
              ? ` — ${version.version}${active?.alias ? ` (${active.alias})` : ''} when trained, on its ${version.metrics.evaluatedOn === 1 ? 'held-out' : 'training'} readings`
              : ''}
            {scored ? `; last scoring: ${scored.version} on ${scored.rows.toLocaleString('en-US')} readings` : ''}.
          </caption>
          <thead>
            <tr>
              <th>Fault type</th>
              <th className="num">{version ? `${version.version} trained` : 'Trained'}</th>
              <th className="num">Last scoring</th>
            </tr>
          </thead>
          <tbody>
            {types.map((t) => (
              <tr key={t}>
                <td>{t}</td>
                <td className="num">{fmtNum(trained.get(t), 2)}</td>
                <td className="num">{fmtNum(onScore.get(t), 2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
