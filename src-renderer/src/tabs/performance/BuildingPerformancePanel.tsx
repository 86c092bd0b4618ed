import { useEffect, useState } from 'react';
import type { AlertView } from '../../../../src-main/contract/shared/alerts';
import type { BuildingDetail, BuildingRule } from '../../../../src-main/contract/shared/buildings';
import { call } from '../../api/client';
import { TimeSeriesChart } from '../../components/charts';
import { MetricCard } from '../../components/MetricCard';
import { Panel } from '../../components/Panel';
import { fmtInt, fmtPct, fmtTime } from '../../components/format';
import { useApp } from '../../state/store';
import { bucketLabel, DATA_TIME_AXIS } from '../overview/OverviewTrends';

/** One building's logged readings: anomaly rate over data time, its figures beside the fleet's, and its alerts. */
export function BuildingPerformancePanel({ model, building, predictions }: { model: string; building: string; predictions: number }) {
  const [d, setD] = useState<BuildingDetail | null>(null);
  useEffect(() => {
    setD(null);
    let live = true;
    call('buildings.detail', { model, building }).then(
      (r) => live && setD(r),
      (e: unknown) => live && useApp.getState().showError(`Loading building ${building}`, e),
    );
    return () => {
      live = false;
    };
  }, [model, building, predictions]);
  return (
    <Panel title={`Building ${building}`} className="span-2" testId="building-performance">
      {!d ? <p className="muted">Loading…</p> : d.readings === 0 ? <NothingLogged d={d} /> : <Detail d={d} />}
    </Panel>
  );
}

function NothingLogged({ d }: { d: BuildingDetail }) {
  return (
    <>
      <p className="muted small">
        No reading of building {d.building} is logged for {d.model}: score data that includes it to see its anomaly rate.
      </p>
      <Alerts d={d} />
    </>
  );
}

function Detail({ d }: { d: BuildingDetail }) {
  const rate = {
    name: 'anomaly rate %',
    x: d.trend.points.map((p) => p.startMs),
    y: d.trend.points.map((p) => (p.predictions ? (100 * p.anomalies) / p.predictions : 0)),
  };
  return (
    <>
      <div className="metrics-row" data-testid="building-metrics">
        <MetricCard label="Readings" value={fmtInt(d.readings)} detail={`versions ${d.versions.join(', ')}`} />
        <MetricCard
          label="Anomaly rate"
          value={fmtPct(d.anomalyRate, 2)}
          detail={`${fmtInt(d.anomalies)} flagged · fleet ${fmtPct(d.fleetRate, 2)}`}
          testId="building-rate"
        />
        <MetricCard
          label="Rank by flags"
          value={d.rank === null ? '—' : `${d.rank} of ${d.buildings}`}
          detail="1 = most flagged readings of the fleet"
        />
        <MetricCard
          label="Drift score"
          value={d.driftScore === null ? '—' : d.driftScore.toFixed(3)}
          detail={
            d.driftScore === null
              ? 'too few readings to judge'
              : `${d.driftedFeatures.length ? `drifted: ${d.driftedFeatures.join(', ')}` : 'no feature drifted'} · vs the fleet reference`
          }
        />
      </div>
      {d.dataTimeRange && (
        <p className="muted small">
          Readings from {fmtTime(d.dataTimeRange.fromMs)} to {fmtTime(d.dataTimeRange.toMs)} · computed in {d.elapsedMs} ms
        </p>
      )}
      <h3 className="small">Anomaly rate {bucketLabel(d.trend)}, by the readings&apos; time</h3>
      <TimeSeriesChart series={[rate]} height={200} yLabel="% flagged" xLabel={DATA_TIME_AXIS} testId="building-rate-chart" />
      <Alerts d={d} />
    </>
  );
}

const SCOPE_WORDS: Record<BuildingRule['scope'], string> = {
  building: 'this building',
  'each-building': 'every building, each on its own',
  fleet: 'the whole model',
};

function Alerts({ d }: { d: BuildingDetail }) {
  const own = d.rules.filter((r) => r.scope !== 'fleet');
  const named = own.some((r) => r.scope === 'building');
  return (
    <div data-testid="building-alerts">
      <h3 className="small">Alerts</h3>
      <p className="muted small" data-testid="building-rule-scope">
        {own.length === 0
          ? `No enabled rule watches a building's anomaly rate, so no alert is about ${d.building}; the model-wide alerts are listed below.`
          : named
            ? `Rules naming ${d.building}: ${own.map((r) => `${r.rule.id} (${SCOPE_WORDS[r.scope]})`).join(', ')}.`
            : `The building rules are fleet-wide (${own.map((r) => r.rule.id).join(', ')}: ${SCOPE_WORDS['each-building']}); their alerts about ${d.building} are listed.`}
      </p>
      <AlertTable alerts={d.alerts} empty={`No alert about ${d.building}.`} testId="building-alert-list" />
      <p className="muted small">Model-wide alerts ({d.fleetAlerts.length}), about the whole fleet rather than one building:</p>
      <AlertTable alerts={d.fleetAlerts.slice(0, 10)} empty="None." testId="fleet-alert-list" />
    </div>
  );
}

function AlertTable({ alerts, empty, testId }: { alerts: AlertView[]; empty: string; testId: string }) {
  if (alerts.length === 0) return <p className="small">{empty}</p>;
  return (
    <table className="table" data-testid={testId}>
      <thead>
        <tr>
          <th>Opened</th>
          <th>Rule</th>
          <th>Status</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <tr key={a.id}>
            <td>{fmtTime(Date.parse(a.openedAt))}</td>
            <td>{a.rule}</td>
            <td>
              {a.status}
              {a.ack ? ', acknowledged' : ''}
            </td>
            <td>{a.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
