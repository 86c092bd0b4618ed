import type { Contribution, ExplainResult } from '../../../../src-main/contract/ops/model';
import { fmtNum, fmtPct, fmtTime } from '../../components/format';
import { fmtScore } from './score-format';
import { EmptyState, Panel } from '../../components/Panel';
import { useModel } from '../../state/model';

const DIRECTION: Record<Contribution['direction'], string> = { high: '▲ above p95', low: '▼ below p05', within: '• within p05–p95' };
const BAR = { height: 8, background: 'var(--grid)', borderRadius: 4, minWidth: 80 } as const;

/** What each ensemble member of the contextual detector looks at. */
const MEMBER_WORDS: Record<string, string> = {
  residual: 'the reading against its time-of-week-and-temperature baseline',
  sustained: 'the baseline residual held over a trailing day',
  rules: 'stuck-sensor, dropout and jump rules',
  forest: 'an Isolation Forest on residuals, hour, weekday and temperature',
};

/** The contextual detector's evidence per meter: value, the baseline's expectation, and the residual in robust SDs. */
function ContextualTable({ e }: { e: ExplainResult }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="explanation-table">
        <caption className="sr-only">Meters against their baseline</caption>
        <thead>
          <tr>
            <th>Meter</th>
            <th className="num">Value</th>
            <th className="num">Expected</th>
            <th className="num">× expected</th>
            <th className="num" title="(value − expected) / the building's robust spread for this hour band">
              Residual (SD)
            </th>
          </tr>
        </thead>
        <tbody>
          {e.contributions.map((c) => (
            <tr key={c.feature} className={c.feature === e.driverFeature ? 'row-driver' : undefined}>
              <td>
                <strong>{c.feature}</strong>
              </td>
              <td className="num">{fmtNum(c.value, 2)}</td>
              <td className="num muted">{fmtNum(c.expected, 2)}</td>
              <td className="num">
                {c.value !== null && c.expected !== null && c.expected !== undefined && c.expected > 0
                  ? `${fmtNum(c.value / c.expected, 2)}×`
                  : '—'}
              </td>
              <td className="num">{c.normalized === null ? '—' : `${c.normalized > 0 ? '+' : ''}${fmtNum(c.normalized, 1)}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        Expected is the building&apos;s baseline for this hour of the week and outdoor temperature; the residual is how far the reading is
        from it, in the building&apos;s robust spread (the version&apos;s “Flag at” parameter, 5 by default, is where the residual member
        alone flags).
      </p>
    </div>
  );
}

/** Why a reading was flagged: the features that isolated it, against the training percentiles. */
export function ExplanationPanel() {
  const e = useModel((s) => s.explanation);
  const selected = useModel((s) => s.selectedRow);
  if (!e) {
    return (
      <Panel title="Explanation" testId="explanation-panel">
        <EmptyState title={selected === null ? 'Pick a reading' : 'Explaining…'}>
          Click a red diamond on the chart or a row of the flagged readings to see which features made it stand out.
        </EmptyState>
      </Panel>
    );
  }
  const where = [e.id, e.time === null ? `row ${e.row + 1}` : fmtTime(e.time)].filter(Boolean).join(' · ');
  // Per-id versions judge a reading against its own building; show that yardstick next to the pooled percentiles.
  const perId = e.normalize === 'per-id';
  return (
    <Panel title="Explanation" testId="explanation-panel">
      <p>
        <strong>{where}</strong>: score {fmtScore(e.score)}{' '}
        {e.flagged ? `> threshold ${fmtScore(e.threshold)}, flagged` : `≤ threshold ${fmtScore(e.threshold)}, not flagged`} by {e.model}{' '}
        {e.version}.
      </p>
      {e.cause ? (
        <div className="cause-box" data-testid="explanation-cause">
          <p>
            Likely cause: <strong>{e.cause}</strong>
            {e.likelyFault ? ` — looks like ${e.likelyFault.replaceAll('_', ' ')}` : ''}.
          </p>
          <p className="muted small" data-testid="explanation-driver">
            Driven by the <strong>{e.member}</strong> member ({MEMBER_WORDS[e.member ?? ''] ?? 'ensemble member'})
            {e.driverFeature ? (
              <>
                {' '}
                on <strong>{e.driverFeature}</strong>
              </>
            ) : null}
            .
          </p>
        </div>
      ) : null}
      {e.algorithm === 'contextual' ? <ContextualTable e={e} /> : null}
      {e.algorithm !== 'contextual' && (
        <div className="table-wrap">
          <table className="table" data-testid="explanation-table">
            <caption className="sr-only">Feature contributions</caption>
            <thead>
              <tr>
                <th>Feature</th>
                <th>Share of isolation</th>
                <th className="num">Value</th>
                <th className="num">p05</th>
                <th className="num">p50</th>
                <th className="num">p95</th>
                <th>Compared with training</th>
              </tr>
            </thead>
            <tbody>
              {e.contributions.map((c) => (
                <tr key={c.feature}>
                  <td>
                    <strong>{c.feature}</strong>
                  </td>
                  <td>
                    <div style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
                      <div style={BAR} aria-hidden="true">
                        <div
                          style={{ width: `${Math.round(c.share * 100)}%`, height: '100%', borderRadius: 4, background: 'var(--accent)' }}
                        />
                      </div>
                      <span className="num">{fmtPct(c.share, 0)}</span>
                    </div>
                  </td>
                  <td className="num">
                    {fmtNum(c.value, 2)}
                    {perId && c.normalized !== null && (
                      <div
                        className="muted small"
                        data-testid="normalized-value"
                        title={`(value − ${e.id ?? 'this building'}'s median) / its robust spread; about ±1 is ordinary`}
                      >
                        z {c.normalized > 0 ? '+' : ''}
                        {fmtNum(c.normalized, 1)}
                      </div>
                    )}
                  </td>
                  <td className="num muted">{fmtNum(c.reference.p05, 2)}</td>
                  <td className="num muted">{fmtNum(c.reference.p50, 2)}</td>
                  <td className="num muted">{fmtNum(c.reference.p95, 2)}</td>
                  <td className={c.direction === 'within' ? 'muted' : undefined}>{DIRECTION[c.direction]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {e.algorithm !== 'contextual' && (
        <p className="muted small">
          The share says where the forest cut this reading off from the rest; it is not a causal claim.
          {perId
            ? ' Percentiles are of all buildings’ training data; the model judged each feature within its building: z is the value minus that building’s median, over its spread.'
            : ''}
        </p>
      )}
    </Panel>
  );
}
