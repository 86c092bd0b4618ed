import type { FeatureDriftView } from '../../../../src-main/contract/ops/monitoring';
import { withUnit } from '../../components/axis-format';
import { fmtNum, fmtP, fmtPsi } from '../../components/format';

/** A p-value that underflowed to 0 is smaller than a double can hold, not zero. */
/** Fixed decimals so a right-aligned column lines up. */
const fixed = (v: number, d: number): string => (Number.isFinite(v) ? v.toFixed(d) : '—');
const signed = (v: number): string => (Number.isFinite(v) ? `${v > 0 ? '+' : v < 0 ? '−' : '±'}${fmtNum(Math.abs(v), 2)}` : '—');
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
  {
    key: 'meanShift',
    label: 'Mean shift',
    value: (f) => f.meanShift,
    // In reference standard deviations (comparable across features) and in the feature's own unit (what it means).
    render: (f) => (
      <span title="|current mean − reference mean| in reference standard deviations, then the signed change in the feature's unit">
        {fixed(f.meanShift, 2)} σ <span className="muted small">({withUnit(signed(f.meanDelta), f.name)})</span>
      </span>
    ),
    numeric: true,
  },
  {
    key: 'wasserstein',
    label: 'Wasserstein',
    value: (f) => f.wasserstein,
    render: (f) => (
      <span title="Earth mover's distance between the distributions, in reference standard deviations and in the feature's unit">
        {fixed(f.wasserstein, 3)} σ <span className="muted small">({withUnit(fmtNum(f.wassersteinRaw, 2), f.name)})</span>
      </span>
    ),
    numeric: true,
  },
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
