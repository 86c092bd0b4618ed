import { useMemo, useState, type ReactNode } from 'react';

export interface ColumnDef<T> {
  key: string;
  label: string;
  /** Sort value; numbers sort numerically, strings alphabetically. */
  value: (row: T) => number | string | null;
  render?: (row: T) => ReactNode;
  numeric?: boolean;
}

/** A table that sorts by clicking (or pressing Enter on) a header. */
export function SortableTable<T>(props: {
  rows: T[];
  columns: ColumnDef<T>[];
  rowKey: (row: T) => string;
  initialSort?: { key: string; desc: boolean };
  onRowClick?: (row: T) => void;
  selectedKey?: string | null;
  caption?: string;
  testId?: string;
}) {
  const [sort, setSort] = useState(props.initialSort ?? null);
  const sorted = useMemo(() => {
    if (!sort) return props.rows;
    const col = props.columns.find((c) => c.key === sort.key);
    if (!col) return props.rows;
    const dir = sort.desc ? -1 : 1;
    return [...props.rows].sort((a, b) => {
      const va = col.value(a);
      const vb = col.value(b);
      if (va === vb) return 0;
      if (va === null) return 1;
      if (vb === null) return -1;
      return (va < vb ? -1 : 1) * dir;
    });
  }, [props.rows, props.columns, sort]);
  const toggle = (key: string): void => setSort((s) => (s?.key === key ? { key, desc: !s.desc } : { key, desc: false }));
  return (
    <div className="table-wrap">
      <table className="table" data-testid={props.testId}>
        {props.caption && <caption className="sr-only">{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th
                key={c.key}
                className={c.numeric ? 'num' : undefined}
                aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              >
                <button type="button" className="th-button" onClick={() => toggle(c.key)}>
                  {c.label}
                  <span aria-hidden="true">{sort?.key === c.key ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => {
            const key = props.rowKey(row);
            return (
              <tr
                key={key}
                className={props.selectedKey === key ? 'selected' : undefined}
                onClick={props.onRowClick ? () => props.onRowClick!(row) : undefined}
                tabIndex={props.onRowClick ? 0 : undefined}
                onKeyDown={props.onRowClick ? (e) => e.key === 'Enter' && props.onRowClick!(row) : undefined}
              >
                {props.columns.map((c) => (
                  <td key={c.key} className={c.numeric ? 'num' : undefined}>
                    {c.render ? c.render(row) : String(c.value(row) ?? '—')}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
