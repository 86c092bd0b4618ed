import { useMemo } from 'react';
import type { VersionMeta } from '../../../../src-main/contract/ops/registry';
import { SortableTable, type ColumnDef } from '../../components/SortableTable';
import { fmtInt } from '../../components/format';
import { compareSemver, selectVersion, togglePick, useRegistry } from '../../state/registry';
import { fmtMetric, fmtParam, fmtWhen, KEY_PARAMS, keyMetrics, metricLabel } from './format';

function AliasBadges({ v }: { v: VersionMeta }) {
  return (
    <span className="alias-badges">
      {v.aliases.map((a) => (
        <span key={a} className="chip chip-alias" data-testid={`alias-${a}`}>
          {a}
        </span>
      ))}
      {v.archived && <span className="chip">archived</span>}
    </span>
  );
}

/** Semver as one sortable number (each part below 1e9 by the registry's rule). */
function semverValue(v: string): number {
  const [a, b, c] = v.split('.').map(Number);
  return (a! * 1e6 + b!) * 1e6 + c!;
}

/** Every version of the model: key params and metrics, aliases, a tick box to compare two. */
export function VersionsTable({ versions }: { versions: VersionMeta[] }) {
  const picked = useRegistry((s) => s.picked);
  const selected = useRegistry((s) => s.selected);
  const columns = useMemo((): ColumnDef<VersionMeta>[] => {
    const metrics = keyMetrics(versions);
    return [
      {
        key: 'pick',
        label: 'Compare',
        value: (v) => (picked.includes(v.version) ? 0 : 1),
        render: (v) => (
          <input
            type="checkbox"
            aria-label={`Compare ${v.version}`}
            checked={picked.includes(v.version)}
            onClick={(e) => e.stopPropagation()}
            onChange={() => void togglePick(v.version)}
          />
        ),
      },
      { key: 'version', label: 'Version', value: (v) => semverValue(v.version), render: (v) => <strong>{v.version}</strong> },
      { key: 'aliases', label: 'Aliases', value: (v) => v.aliases.join(','), render: (v) => <AliasBadges v={v} /> },
      { key: 'created', label: 'Created (UTC)', value: (v) => v.createdAt, render: (v) => fmtWhen(v.createdAt) },
      ...KEY_PARAMS.map((p): ColumnDef<VersionMeta> => ({
        key: `p.${p.key}`,
        label: p.label,
        numeric: true,
        // Text values (contamination "auto") sort before numbers rather than mixing string and number comparisons.
        value: (v) => {
          const x = v.params[p.key];
          return typeof x === 'number' ? x : x === undefined || x === null ? null : -1;
        },
        render: (v) => fmtParam(v.params[p.key] ?? null),
      })),
      ...metrics.map((m): ColumnDef<VersionMeta> => ({
        key: `m.${m}`,
        label: metricLabel(m),
        numeric: true,
        value: (v) => v.metrics[m] ?? null,
        render: (v) => fmtMetric(m, v.metrics[m]),
      })),
      { key: 'rows', label: 'Data rows', numeric: true, value: (v) => v.trainingData.rows, render: (v) => fmtInt(v.trainingData.rows) },
    ];
  }, [versions, picked]);
  // Newest first is what people look for; the header still sorts.
  const rows = useMemo(() => [...versions].sort((a, b) => compareSemver(b.version, a.version)), [versions]);
  return (
    <SortableTable
      rows={rows}
      columns={columns}
      rowKey={(v) => v.version}
      onRowClick={(v) => selectVersion(v.version)}
      selectedKey={selected}
      caption="Model versions"
      testId="versions-table"
    />
  );
}
