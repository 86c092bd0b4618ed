import type { ExplanationSummary } from '../../../../src-main/contract/shared/report';
import { fmtInt, fmtPct } from '../../components/format';

/** Weeks shown, newest last. */
const WEEKS = 8;

/** What drove the flags week by week (by the readings' own time): the explanation log over time. */
export function WeeklyFlagDrivers({ s }: { s: ExplanationSummary }) {
  const weeks = (s.weeks ?? []).slice(-WEEKS);
  if (weeks.length === 0) return null;
  const latest = weeks.at(-1)!;
  const members = Object.entries(s.members ?? {});
  return (
    <section data-testid="flag-drivers-weekly">
      <h3 className="section-gap">Week by week</h3>
      <p data-testid="flag-drivers-week-sentence">{latest.sentence}</p>
      <table className="small">
        <caption className="sr-only">The feature that led most flags per week</caption>
        <thead>
          <tr>
            <th>Week of (UTC)</th>
            <th className="num">Flags</th>
            <th>Led by</th>
            <th className="num">Share</th>
          </tr>
        </thead>
        <tbody>
          {weeks.map((w) => (
            <tr key={w.weekStart}>
              <td>{new Date(w.weekStart).toISOString().slice(0, 10)}</td>
              <td className="num">{fmtInt(w.flagged)}</td>
              <td>{w.feature}</td>
              <td className="num">{fmtPct(w.leadingShare, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {members.length > 0 && <p className="muted small">Raised by member: {members.map(([m, n]) => `${m} ${fmtInt(n)}`).join(' · ')}</p>}
    </section>
  );
}
