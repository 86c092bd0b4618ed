import { useEffect, useState } from 'react';
import type { FleetBuilding, FleetResult } from '../../../../src-main/contract/shared/report';
import { call } from '../../api/client';
import { saveFile } from '../../api/save-file';
import { fmtInt, fmtPct } from '../../components/format';
import { Panel } from '../../components/Panel';
import { SortableTable, type ColumnDef } from '../../components/SortableTable';
import { pickBuilding, useBuilding } from '../../state/building';
import { useApp } from '../../state/store';

const COLUMNS: ColumnDef<FleetBuilding>[] = [
  { key: 'id', label: 'Building', value: (b) => b.id },
  { key: 'readings', label: 'Readings', value: (b) => b.readings, render: (b) => fmtInt(b.readings), numeric: true },
  { key: 'anomalies', label: 'Flagged', value: (b) => b.anomalies, render: (b) => fmtInt(b.anomalies), numeric: true },
  { key: 'rate', label: 'Anomaly rate', value: (b) => b.anomalyRate, render: (b) => fmtPct(b.anomalyRate), numeric: true },
  {
    key: 'drift',
    label: 'Drift score',
    value: (b) => b.driftScore,
    render: (b) => (b.driftScore === null ? '—' : b.driftScore.toFixed(3)),
    numeric: true,
  },
  {
    key: 'drifted',
    label: 'Drifted features',
    value: (b) => b.driftedFeatures.join(', '),
    render: (b) => b.driftedFeatures.join(', ') || '—',
  },
];

/** The fleet ranked by flagged readings and drift, from the buildings the prediction log records; a row picks a building. */
export function FleetPanel({ model, predictions }: { model: string; predictions: number }) {
  const [fleet, setFleet] = useState<FleetResult | null>(null);
  // The row picked is the building picked on every tab (Data, Drift, Performance).
  const picked = useBuilding((s) => s.building);
  const building = fleet?.buildings.find((b) => b.id === picked) ?? null;
  useEffect(() => {
    call('buildings.fleet', { model }).then(setFleet, (e: unknown) => useApp.getState().showError('Ranking the buildings', e));
  }, [model, predictions]);
  return (
    <Panel title="Buildings" className="span-2" testId="fleet-panel">
      {!fleet ? (
        <p className="muted">Loading…</p>
      ) : fleet.buildings.length === 0 ? (
        <p className="muted small">
          No logged reading carries a building id: score data with an id column (such as building_id) to rank buildings.
        </p>
      ) : (
        <>
          <SortableTable
            rows={fleet.buildings}
            columns={COLUMNS}
            rowKey={(b) => b.id}
            initialSort={{ key: 'anomalies', desc: true }}
            caption="Buildings ranked by flagged readings"
            testId="fleet-table"
            onRowClick={(b) => pickBuilding(b.id)}
            selectedKey={picked}
          />
          {building && (
            <div className="form-actions" data-testid="fleet-building">
              <span>
                <strong>{building.id}</strong>: {fmtInt(building.anomalies)} of {fmtInt(building.readings)} readings flagged (
                {fmtPct(building.anomalyRate)}), drift score {building.driftScore === null ? '—' : building.driftScore.toFixed(3)}
                {building.driftedFeatures.length ? `, drifted: ${building.driftedFeatures.join(', ')}` : ''}
              </span>
              <button
                type="button"
                className="btn-small"
                onClick={() =>
                  void saveFile('predictions.export', { model, rows: 'all', building: building.id }, `readings-${building.id}.csv`)
                }
              >
                Download {building.id}&apos;s readings (CSV)
              </button>
            </div>
          )}
          <p className="muted small">
            Drift of each building&apos;s newest logged readings against {fleet.version ? `version ${fleet.version}` : 'the reference'}
            {fleet.unknownReadings > 0 ? ` · ${fmtInt(fleet.unknownReadings)} readings without a building are not listed` : ''}.
          </p>
        </>
      )}
    </Panel>
  );
}
