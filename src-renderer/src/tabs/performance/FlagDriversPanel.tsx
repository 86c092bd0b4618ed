import { useEffect, useState } from 'react';
import type { ExplanationSummary } from '../../../../src-main/contract/shared/report';
import { call } from '../../api/client';
import { fmtInt, fmtPct } from '../../components/format';
import { Panel } from '../../components/Panel';
import { useApp } from '../../state/store';
import { WeeklyFlagDrivers } from './WeeklyFlagDrivers';

/** Which features drove the logged flags: the explanation log summarised, overall and per week (every version explains its flags as it scores). */
export function FlagDriversPanel({ model, predictions }: { model: string; predictions: number }) {
  const [s, setS] = useState<ExplanationSummary | null>(null);
  useEffect(() => {
    call('predictions.explanations', { model }).then(setS, (e: unknown) => useApp.getState().showError('Summarising explanations', e));
  }, [model, predictions]);
  return (
    <Panel title="What drove the flags" testId="flag-drivers">
      {!s ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <p data-testid="flag-drivers-sentence">{s.sentence}</p>
          {s.flagged > 0 && (
            <table className="small">
              <thead>
                <tr>
                  <th>Feature</th>
                  <th className="num">Led</th>
                  <th className="num">Mean share</th>
                </tr>
              </thead>
              <tbody>
                {s.features.map((f) => (
                  <tr key={f.feature}>
                    <td>{f.feature}</td>
                    <td className="num">
                      {fmtInt(f.leading)} ({fmtPct(f.leadingShare)})
                    </td>
                    <td className="num">{fmtPct(f.meanShare)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <WeeklyFlagDrivers s={s} />
        </>
      )}
    </Panel>
  );
}
