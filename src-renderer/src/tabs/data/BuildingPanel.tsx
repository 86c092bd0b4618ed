import { useEffect, useState } from 'react';
import type { BuildingReadings } from '../../../../src-main/contract/shared/buildings';
import type { DatasetInfo } from '../../../../src-main/contract/ops/data';
import { call } from '../../api/client';
import { axisLabel } from '../../components/axis-format';
import { BuildingPicker } from '../../components/BuildingPicker';
import { TimeSeriesChart } from '../../components/charts';
import { fmtInt, fmtPct, fmtTime } from '../../components/format';
import { Panel } from '../../components/Panel';
import { useBuilding } from '../../state/building';
import { useRegistry } from '../../state/registry';
import { onTopic, useApp } from '../../state/store';
import { DATA_TIME_AXIS } from '../overview/OverviewTrends';

/**
 * One building of the current dataset over data time: its readings, the load
 * the contextual version expected, and the readings it flags. The worker thins
 * the series (min and max per bucket), so a year of 15-minute readings draws
 * as fast as a week.
 */
export function BuildingPanel({ ds }: { ds: DatasetInfo }) {
  const building = useBuilding((s) => s.building);
  const model = useRegistry((s) => s.model);
  const [column, setColumn] = useState('');
  const [view, setView] = useState<BuildingReadings | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const numeric = ds.columns.filter((c) => c.kind === 'number' && c.role === 'feature').map((c) => c.name);
  const hasIds = ds.columns.some((c) => c.role === 'id');
  // The picker also offers logged buildings this dataset may lack: say so rather than ask the worker and raise a banner.
  const listed = useBuilding((s) => s.list?.dataset ?? null);
  const inDataset = building !== null && (listed === null || listed.includes(building));
  useEffect(() => {
    // A new or redeployed version changes the baseline and the flags.
    const offs = (['versions', 'deployments'] as const).map((t) => onTopic(t, () => setTick((n) => n + 1)));
    return () => offs.forEach((off) => off());
  }, []);
  useEffect(() => {
    setView(null);
    setFailed(null);
    if (!building || !hasIds || !inDataset) return;
    let live = true;
    call('buildings.readings', { datasetId: ds.id, building, model, ...(column ? { column } : {}) }).then(
      (r) => live && setView(r),
      (e: unknown) => {
        if (!live) return;
        setFailed((e as Error).message);
        useApp.getState().showError(`Drawing building ${building}`, e);
      },
    );
    return () => {
      live = false;
    };
  }, [ds.id, building, model, column, tick, hasIds, inDataset]);
  const title = building ? `Building ${building}: readings, expected load and flags` : 'One building: readings, expected load and flags';
  return (
    <Panel
      title={title}
      className="span-2"
      testId="building-panel"
      actions={
        <>
          <BuildingPicker testId="building-picker-data" />
          {building && numeric.length > 1 && (
            <select aria-label="Meter to draw" value={column} onChange={(e) => setColumn(e.target.value)}>
              <option value="">The model’s meter</option>
              {numeric.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          )}
        </>
      }
    >
      {!hasIds ? (
        <p className="muted small">Dataset {ds.name} has no id column, so it has no buildings to pick.</p>
      ) : !building ? (
        <p className="muted small">
          Pick a building to see its readings over time with the load the model expected and the readings it flags.
        </p>
      ) : !inDataset ? (
        <p className="muted small" data-testid="building-not-in-dataset">
          Dataset {ds.name} has no readings of building {building}; its logged readings are on Drift and Performance.
        </p>
      ) : failed ? (
        <p className="muted small">{failed}</p>
      ) : !view ? (
        <p className="muted">Loading…</p>
      ) : (
        <BuildingChart v={view} />
      )}
    </Panel>
  );
}

function BuildingChart({ v }: { v: BuildingReadings }) {
  const series = v.expected ? [v.readings, { ...v.expected, name: 'expected load' }] : [v.readings];
  return (
    <>
      <p className="muted small" data-testid="building-summary">
        {fmtInt(v.rows)} readings of {v.column}
        {v.fromMs !== null && v.toMs !== null && ` from ${fmtTime(v.fromMs)} to ${fmtTime(v.toMs)}`}
        {v.version && ` · ${fmtInt(v.flagged)} flagged (${fmtPct(v.rows ? v.flagged / v.rows : null)}) by ${v.model} ${v.version}`}
        {v.flags.length < v.flagged && `, ${fmtInt(v.flags.length)} marked`}
        {v.downsampled && ' · thinned for the chart: each bucket keeps its lowest and highest reading'}
      </p>
      {v.expectedNote && (
        <p className="small" role="note" data-testid="expected-note">
          {v.expectedNote}
        </p>
      )}
      <TimeSeriesChart
        series={series}
        markers={v.flags}
        yLabel={axisLabel(v.column)}
        xLabel={v.fromMs !== null ? DATA_TIME_AXIS : undefined}
        time={v.fromMs !== null}
        testId="building-chart"
      />
    </>
  );
}
