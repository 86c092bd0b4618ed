import { useEffect, useMemo, useState } from 'react';
import type { FlaggedReading } from '../../../../src-main/contract/ops/model';
import { fmtInt, fmtNum, fmtTime } from '../../components/format';
import { fmtScore } from './score-format';
import { SortableTable, type ColumnDef } from '../../components/SortableTable';
import { explain, useModel } from '../../state/model';
import { feedbackKey, refreshFeedback, useFeedback } from '../../state/feedback';
import { FeedbackBar } from './FeedbackBar';

const VERDICT_WORD = { fault: 'fault', false_alarm: 'false alarm' } as const;

/** The highest-scoring flagged readings; a click (or Enter) explains one. */
export function FlaggedTable() {
  const score = useModel((s) => s.score)!;
  const selected = useModel((s) => s.selectedRow);
  const verdicts = useFeedback((s) => s.byKey);
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  useEffect(() => {
    setPicked(new Set());
    void refreshFeedback(score.model);
  }, [score]);
  // Feedback names a reading by its own timestamp: data without one cannot take it.
  const canReview = score.top.some((r) => r.time !== null);
  const columns = useMemo((): ColumnDef<FlaggedReading>[] => {
    const hasTime = score.top.some((r) => r.time !== null);
    const hasId = score.top.some((r) => r.id !== null);
    const hasLabel = score.top.some((r) => r.label !== null);
    const shown = score.features.includes(score.chart.column) ? [score.chart.column] : score.features.slice(0, 1);
    const verdictOf = (r: FlaggedReading) => (r.time === null ? undefined : verdicts[feedbackKey(score.version, r.id, r.time)]);
    const review: ColumnDef<FlaggedReading>[] = canReview
      ? [
          {
            key: 'pick',
            label: 'Pick',
            value: (r) => (picked.has(r.row) ? 1 : 0),
            render: (r) =>
              r.time === null ? null : (
                <input
                  type="checkbox"
                  aria-label={`Select reading ${r.row + 1}`}
                  checked={picked.has(r.row)}
                  onClick={(e) => e.stopPropagation()}
                  onChange={(e) =>
                    setPicked((p) => {
                      const next = new Set(p);
                      if (e.target.checked) next.add(r.row);
                      else next.delete(r.row);
                      return next;
                    })
                  }
                />
              ),
          },
        ]
      : [];
    const feedback: ColumnDef<FlaggedReading>[] = canReview
      ? [
          {
            key: 'feedback',
            label: 'Feedback',
            value: (r) => verdictOf(r)?.verdict ?? null,
            render: (r) => {
              const v = verdictOf(r);
              return v ? `${VERDICT_WORD[v.verdict]}${v.faultType ? ` (${v.faultType})` : ''}` : '—';
            },
          },
        ]
      : [];
    return [
      ...review,
      hasTime
        ? { key: 'time', label: 'Time', value: (r) => r.time, render: (r) => (r.time === null ? '—' : fmtTime(r.time)) }
        : { key: 'row', label: 'Row', value: (r) => r.row, render: (r) => fmtInt(r.row + 1), numeric: true },
      ...(hasId ? [{ key: 'id', label: 'Id', value: (r: FlaggedReading) => r.id }] : []),
      { key: 'score', label: 'Score', value: (r) => r.score, render: (r) => fmtScore(r.score), numeric: true },
      ...shown.map((f): ColumnDef<FlaggedReading> => ({
        key: `v:${f}`,
        label: f,
        value: (r) => r.values[f] ?? null,
        render: (r) => fmtNum(r.values[f], 2),
        numeric: true,
      })),
      ...(hasLabel
        ? [
            {
              key: 'label',
              label: 'Labelled',
              value: (r: FlaggedReading) => r.label,
              render: (r: FlaggedReading) => (r.label === 1 ? 'anomaly' : r.label === 0 ? 'normal' : '—'),
            },
          ]
        : []),
      ...feedback,
    ];
  }, [score, verdicts, picked, canReview]);
  const selectedReadings = score.top
    .filter((r) => picked.has(r.row) && r.time !== null)
    .map((r) => ({ version: score.version, building: r.id, dataTime: r.time! }));
  if (score.top.length === 0)
    return <p className="muted">Nothing was flagged: every reading scored at or below the threshold {fmtScore(score.threshold)}.</p>;
  return (
    <>
      <p className="muted small">
        {score.top.length < score.anomalies
          ? `The ${fmtInt(score.top.length)} highest-scoring of ${fmtInt(score.anomalies)} flagged readings.`
          : `${fmtInt(score.anomalies)} flagged readings.`}{' '}
        Click a row to explain it{canReview ? '; tick rows to confirm them as faults or mark them false alarms' : ''}.
      </p>
      {canReview && <FeedbackBar model={score.model} selected={selectedReadings} onDone={() => setPicked(new Set())} />}
      <SortableTable
        rows={score.top}
        columns={columns}
        rowKey={(r) => String(r.row)}
        initialSort={{ key: 'score', desc: true }}
        onRowClick={(r) => void explain(r.row)}
        selectedKey={selected === null ? null : String(selected)}
        caption="Flagged readings"
        testId="flagged-table"
      />
    </>
  );
}
