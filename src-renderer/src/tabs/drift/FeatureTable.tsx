import type { FeatureDriftView } from '../../../../src-main/contract/ops/monitoring';
import { fmtP, fmtPsi } from '../../components/format';

/** A p-value that underflowed to 0 is smaller than a double can hold, not zero. */
/** Fixed decimals so a right-aligned column lines up. */
const fixed = (v: number, d: number): string => (Number.isFinite(v) ? v.toFixed(d) : '—');
const pText = (p: number | null): string => (p === 0 ? '<1e-300' : fmtP(p));
import { SortableTable, type ColumnDef } from '../../components/SortableTable';

/** p of the feature's decision test: chi-square for low-cardinality features, else KS. */
const decisionP = (f: FeatureDriftView): number => (f.chiSquare ? f.chiSquare.pValue : f.ks.pValue);
const decisionPAdj = (f: FeatureDriftView): number | null => (f.chiSquare ? f.chiSquare.pAdjusted : f.ks.pAdjusted);

export function Verdict({ f }: { f: FeatureDriftView }) {
  return f.drifted ? (
    <span className="status-critical" title={f.reasons.join('\n')}>
      <span aria-hidden="true">✖</span> drifted{' '}
      <span className="muted small">({f.firedTests.map((t) => (t === 'chiSquare' ? 'χ²' : t.toUpperCase())).join(' + ')})</span>
    </span>
  ) : (
    <span className="status-healthy" title={f.notes.join('\n') || 'No test fired'}>
      <span aria-hidden="true">✔</span> stable
    </span>
  );
}

const COLUMNS: ColumnDef<FeatureDriftView>[] = [
  { key: 'name', label: 'Feature', value: (f) => f.name },
  { key: 'psi', label: 'PSI', value: (f) => f.psi, render: (f) => fmtPsi(f.psi), numeric: true },
  { key: 'ksD', label: 'KS D', value: (f) => f.ks.statistic, render: (f) => fixed(f.ks.statistic, 3), numeric: true },
  { key: 'p', label: 'p', value: decisionP, render: (f) => pText(decisionP(f)), numeric: true },
  { key: 'pAdj', label: 'p (adjusted)', value: decisionPAdj, render: (f) => pText(decisionPAdj(f)), numeric: true },
  { key: 'meanShift', label: 'Mean shift σ', value: (f) => f.meanShift, render: (f) => fixed(f.meanShift, 2), numeric: true },
  { key: 'wasserstein', label: 'Wasserstein σ', value: (f) => f.wasserstein, render: (f) => fixed(f.wasserstein, 3), numeric: true },
  { key: 'js', label: 'Jensen–Shannon', value: (f) => f.jensenShannon, render: (f) => fixed(f.jensenShannon, 3), numeric: true },
  { key: 'verdict', label: 'Verdict', value: (f) => (f.drifted ? 1 : 0), render: (f) => <Verdict f={f} /> },
];

export function FeatureTable(props: { features: FeatureDriftView[]; selected: string | null; onSelect: (name: string) => void }) {
  return (
    <SortableTable
      rows={props.features}
      columns={COLUMNS}
      rowKey={(f) => f.name}
      initialSort={{ key: 'psi', desc: true }}
      selectedKey={props.selected}
      onRowClick={(f) => props.onSelect(f.name)}
      caption="Drift per feature"
      testId="drift-table"
    />
  );
}
