import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Series } from '../../../src-main/contract/ops/data';
import { extent, niceTicks, rangeTickFormat } from './axis-format';
import { fmtInt, fmtNum, fmtTime, timeTickFormat } from './format';

/** One qualitative, colour-blind-safe palette for every chart (Okabe–Ito). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#8C6D1F', '#555555'];
export const ANOMALY_COLOR = '#D55E00';

export interface Marker {
  x: number;
  y: number;
  id?: string;
}

/**
 * A line chart of already-downsampled series (the worker caps each at ~2,000
 * points), with optional anomaly markers. Animations are off: the data is the
 * point, not the motion.
 */
export function TimeSeriesChart(props: {
  series: Series[];
  time?: boolean;
  height?: number;
  markers?: Marker[];
  onMarkerClick?: (m: Marker) => void;
  yLabel?: string;
  /** Names the x axis's clock and zone, e.g. "data time (UTC)": a time axis whose ticks alone do not say. */
  xLabel?: string;
  /** Per-id charts draw the first groups only: say so (markers are drawn for those groups only, too). */
  groups?: { shown: number; total: number; noun?: string };
  testId?: string;
}) {
  const time = props.time ?? true;
  const tick = time ? timeTickFormat(props.series) : (v: number) => fmtInt(v);
  // From zero, as recharts' default domain did: a count or a load read against its baseline.
  const [lo, hi] = extent([...props.series.flatMap((s) => s.y), ...(props.markers ?? []).map((m) => m.y)], true);
  const yTick = rangeTickFormat(lo, hi);
  const yTicks = niceTicks(lo, hi);
  const g = props.groups;
  return (
    <>
      <div className="chart" data-testid={props.testId} style={{ height: props.height ?? 280 }}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="x"
              domain={['dataMin', 'dataMax']}
              tickFormatter={(v: number) => tick(v)}
              stroke="var(--muted)"
              fontSize={11}
              allowDuplicatedCategory={false}
              height={props.xLabel ? 36 : 30}
              label={props.xLabel ? { value: props.xLabel, position: 'insideBottom', fontSize: 11, fill: 'var(--muted)' } : undefined}
            />
            <YAxis
              stroke="var(--muted)"
              fontSize={11}
              width={56}
              domain={[yTicks[0]!, yTicks.at(-1)!]}
              ticks={yTicks}
              tickFormatter={yTick}
              label={
                props.yLabel ? { value: props.yLabel, angle: -90, position: 'insideLeft', fontSize: 11, fill: 'var(--muted)' } : undefined
              }
            />
            <Tooltip
              labelFormatter={(v) => (time ? fmtTime(Number(v)) : String(v))}
              formatter={(v) => fmtNum(Number(v), 2)}
              contentStyle={{ background: 'var(--card)', border: '1px solid var(--border)' }}
            />
            {props.series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
            {props.series.map((s, i) => (
              <Line
                key={s.name}
                name={s.name}
                data={s.x.map((x, j) => ({ x, y: s.y[j] }))}
                dataKey="y"
                stroke={PALETTE[i % PALETTE.length]}
                // A line needs two points; a lone hourly bucket shows as a dot.
                dot={s.x.length < 3 ? { r: 3 } : false}
                // The hover dot must not sit on top of an anomaly marker and swallow its click.
                activeDot={{ r: 3, pointerEvents: 'none' }}
                strokeWidth={1.2}
                isAnimationActive={false}
              />
            ))}
            {props.markers && props.markers.length > 0 && (
              <Scatter
                name="anomaly"
                data={props.markers}
                dataKey="y"
                fill={ANOMALY_COLOR}
                shape="diamond"
                isAnimationActive={false}
                onClick={(d: unknown) => props.onMarkerClick?.((d as { payload: Marker }).payload)}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {g && g.total > g.shown && (
        <p className="muted small" data-testid="chart-groups-note">
          Showing {fmtInt(g.shown)} of {fmtInt(g.total)} {g.noun ?? 'buildings'}
          {props.markers ? '; anomaly markers only for those shown' : ''}.
        </p>
      )}
    </>
  );
}

/** Horizontal-label bar chart with an optional threshold line (e.g. PSI 0.1). */
export function BarsChart(props: {
  data: { name: string; value: number; flagged?: boolean }[];
  threshold?: number;
  height?: number;
  valueFormat?: (v: number) => string;
  testId?: string;
}) {
  const [lo, hi] = extent([...props.data.map((d) => d.value), props.threshold ?? 0], true);
  const yTick = props.valueFormat ?? rangeTickFormat(lo, hi);
  const yTicks = niceTicks(lo, hi);
  return (
    <div className="chart" data-testid={props.testId} style={{ height: props.height ?? 240 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={props.data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
          <XAxis dataKey="name" stroke="var(--muted)" fontSize={11} interval={0} />
          <YAxis
            stroke="var(--muted)"
            fontSize={11}
            width={56}
            domain={[yTicks[0]!, yTicks.at(-1)!]}
            ticks={yTicks}
            tickFormatter={yTick}
          />
          <Tooltip
            formatter={(v) => (props.valueFormat ?? ((x: number) => fmtNum(x, 3)))(Number(v))}
            contentStyle={{ background: 'var(--card)', border: '1px solid var(--border)' }}
          />
          <Bar
            dataKey="value"
            isAnimationActive={false}
            fill={PALETTE[0]}
            shape={(p: unknown) => {
              const b = p as { x: number; y: number; width: number; height: number; payload: { flagged?: boolean } };
              return (
                <rect
                  x={b.x}
                  y={b.y}
                  width={b.width}
                  height={Math.max(0, b.height)}
                  fill={b.payload.flagged ? ANOMALY_COLOR : PALETTE[0]}
                />
              );
            }}
          />
          {props.threshold !== undefined && (
            <ReferenceLine
              y={props.threshold}
              stroke={ANOMALY_COLOR}
              strokeDasharray="4 4"
              label={{ value: `threshold ${props.threshold}`, fontSize: 11, fill: 'var(--muted)', position: 'insideTopRight' }}
            />
          )}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
