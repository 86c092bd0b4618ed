import { useMemo } from 'react';
import type { FlaggedReading } from '../../../../src-main/contract/ops/model';
import { fmtInt, fmtNum, fmtTime } from '../../components/format';
import { fmtScore } from './score-format';
import { SortableTable, type ColumnDef } from '../../components/SortableTable';
import { explain, useModel } from '../../state/model';

/** The highest-scoring flagged readings; a click (or Enter) explains one. */
export function FlaggedTable() {
  const score = useModel((s) => s.score)!;
  const selected = useModel((s) => s.selectedRow);
  const columns = useMemo((): ColumnDef<FlaggedReading>[] => {
    const hasTime = score.top.some((r) => r.time !== null);
    const hasId = score.top.some((r) => r.id !== null);
    const hasLabel = score.top.some((r) => r.label !== null);
    const shown = score.features.includes(score.chart.column) ? [score.chart.column] : score.features.slice(0, 1);
    return [
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
    ];
  }, [score]);
  if (score.top.length === 0)
    return <p className="muted">Nothing was flagged: every reading scored at or below the threshold {fmtScore(score.threshold)}.</p>;
  return (
    <>
      <p className="muted small">
        {score.top.length < score.anomalies
          ? `The ${fmtInt(score.top.length)} highest-scoring of ${fmtInt(score.anomalies)} flagged readings.`
          : `${fmtInt(score.anomalies)} flagged readings.`}{' '}
        Click a row to explain it.
      </p>
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
