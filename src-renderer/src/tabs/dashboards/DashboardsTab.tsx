import { useEffect, useState } from 'react';
import type { DashboardChart, DashboardMetric, DashboardsFile } from '../../../../src-main/contract/shared/dashboards';
import { DASHBOARD_METRIC_LABELS, DASHBOARD_METRICS } from '../../../../src-main/contract/shared/dashboards';
import type { Series } from '../../../../src-main/contract/shared/data';
import { call } from '../../api/client';
import { TimeSeriesChart } from '../../components/charts';
import { EmptyState, Panel } from '../../components/Panel';
import { useApp } from '../../state/store';
import { useRegistry } from '../../state/registry';
import { chartSeries } from './dashboard-series';

const WINDOWS = [1_000, 10_000, 100_000, 1_000_000];

function PinnedChart(props: { chart: DashboardChart; index: number; count: number; move(delta: -1 | 1): void; remove(): void }) {
  const { chart, index, count } = props;
  const [data, setData] = useState<{ series: Series[]; time: boolean; note: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    chartSeries(chart).then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [chart]);
  const title = `${DASHBOARD_METRIC_LABELS[chart.metric]} · ${chart.model} · ${chart.building ?? 'all buildings'} · last ${chart.window.lastN.toLocaleString('en-US')}`;
  return (
    <Panel
      title={title}
      testId="dashboard-chart"
      actions={
        <div className="form-actions">
          <button type="button" className="btn-small" aria-label={`Move ${title} up`} disabled={index === 0} onClick={() => props.move(-1)}>
            ↑
          </button>
          <button
            type="button"
            className="btn-small"
            aria-label={`Move ${title} down`}
            disabled={index === count - 1}
            onClick={() => props.move(1)}
          >
            ↓
          </button>
          <button type="button" className="btn-small" aria-label={`Remove ${title}`} onClick={props.remove}>
            Remove
          </button>
        </div>
      }
    >
      {error ? (
        <p className="small" role="status">
          ⚠ {error}
        </p>
      ) : !data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <TimeSeriesChart series={data.series} time={data.time} height={200} />
          <p className="muted small">{data.note}</p>
        </>
      )}
    </Panel>
  );
}

/**
 * Custom dashboards: charts pinned by metric, model, building and window, in
 * the order the user arranged them, saved in the registry's dashboards.json
 * so they travel with it (export, copy) and survive a restart.
 */
export function DashboardsTab() {
  const [doc, setDoc] = useState<DashboardsFile | null>(null);
  const registry = useApp((s) => s.info?.registryPath ?? null);
  const selected = useRegistry((s) => s.model);
  const models = useRegistry((s) => s.models);
  const [metric, setMetric] = useState<DashboardMetric>('anomaly-rate');
  const [model, setModel] = useState('');
  const [lastN, setLastN] = useState(10_000);
  useEffect(() => {
    call('dashboards.get', {}).then(setDoc, (e: unknown) => useApp.getState().showError('Reading the dashboards', e));
  }, [registry]);
  const board = doc?.dashboards[0];
  const save = async (charts: DashboardChart[]): Promise<void> => {
    if (!doc || !board) return;
    try {
      setDoc(await call('dashboards.save', { dashboards: [{ ...board, charts }, ...doc.dashboards.slice(1)] }));
    } catch (e) {
      useApp.getState().showError('Saving the dashboard', e);
    }
  };
  const target = model || selected;
  const pin = (): void => {
    if (!board || !target) return;
    const id = `c${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
    void save([...board.charts, { id, metric, model: target, building: null, window: { lastN } }]);
  };
  const move = (i: number, delta: -1 | 1): void => {
    if (!board) return;
    const charts = [...board.charts];
    const [c] = charts.splice(i, 1);
    charts.splice(i + delta, 0, c!);
    void save(charts);
  };
  return (
    <div className="grid">
      <Panel title={board ? `Dashboard: ${board.name}` : 'Dashboard'} className="span-2" testId="dashboard-panel">
        <div className="form-actions">
          <label>
            Metric{' '}
            <select aria-label="Metric" value={metric} onChange={(e) => setMetric(e.target.value as DashboardMetric)}>
              {DASHBOARD_METRICS.map((m) => (
                <option key={m} value={m}>
                  {DASHBOARD_METRIC_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Model{' '}
            <select aria-label="Model" value={target} onChange={(e) => setModel(e.target.value)}>
              {[...new Set([target, ...models.map((m) => m.name)])].map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Building{' '}
            <select aria-label="Building" value="" disabled title="Per-building series are not drawn yet">
              <option value="">All buildings</option>
            </select>
          </label>
          <label>
            Window{' '}
            <select aria-label="Window" value={lastN} onChange={(e) => setLastN(Number(e.target.value))}>
              {WINDOWS.map((n) => (
                <option key={n} value={n}>
                  last {n.toLocaleString('en-US')} predictions
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn-primary" disabled={!board || !target} onClick={pin}>
            Pin chart
          </button>
        </div>
        <p className="muted small">Saved in the registry (dashboards.json): it travels with an export and is there after a restart.</p>
      </Panel>
      {board && board.charts.length === 0 && (
        <Panel title="No charts yet" className="span-2">
          <EmptyState title="Pin a first chart">Pick a metric, a model and a window above and press Pin chart.</EmptyState>
        </Panel>
      )}
      {board?.charts.map((c, i) => (
        <PinnedChart
          key={c.id}
          chart={c}
          index={i}
          count={board.charts.length}
          move={(d) => move(i, d)}
          remove={() => void save(board.charts.filter((x) => x.id !== c.id))}
        />
      ))}
    </div>
  );
}
