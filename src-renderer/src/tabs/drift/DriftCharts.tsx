import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  LabelList,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DriftTrendView, FeatureDriftView } from '../../../../src-main/contract/ops/monitoring';
import { extent, niceTicks, rangeTickFormat } from '../../components/axis-format';
import { ANOMALY_COLOR, PALETTE } from '../../components/charts';
import { fmtDate, fmtNum, fmtPsi, fmtTime } from '../../components/format';

const TOOLTIP_STYLE = { background: 'var(--card)', border: '1px solid var(--border)' };

/**
 * PSI per feature as horizontal bars (feature names stay readable however many
 * there are), drifted features in the alert colour, the threshold as a line and
 * each value printed at the bar's end, so small PSIs are legible next to big ones.
 */
export function PsiChart(props: { features: FeatureDriftView[]; threshold: number }) {
  const data = [...props.features].sort((a, b) => b.psi - a.psi).map((f) => ({ name: f.name, psi: f.psi, drifted: f.drifted }));
  // The axis always reaches past the threshold, so its line and label are drawn; ticks get the decimals the range needs.
  const top = Math.max(props.threshold, ...data.map((d) => d.psi)) * 1.1;
  const tick = rangeTickFormat(0, top);
  const ticks = niceTicks(0, top);
  return (
    <div className="chart" data-testid="drift-psi-chart" style={{ height: Math.max(160, 34 * data.length + 40) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 20, right: 48, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" stroke="var(--muted)" fontSize={11} domain={[0, ticks.at(-1)!]} ticks={ticks} tickFormatter={tick} />
          <YAxis type="category" dataKey="name" stroke="var(--muted)" fontSize={11} width={110} />
          <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => fmtPsi(Number(v))} />
          <Bar dataKey="psi" name="PSI" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.name} fill={d.drifted ? ANOMALY_COLOR : PALETTE[0]} />
            ))}
            <LabelList dataKey="psi" position="right" fontSize={11} fill="var(--text)" formatter={(v: unknown) => fmtPsi(Number(v))} />
          </Bar>
          <ReferenceLine
            x={props.threshold}
            stroke={ANOMALY_COLOR}
            strokeDasharray="4 4"
            label={{ value: `threshold ${props.threshold}`, fontSize: 11, fill: 'var(--muted)', position: 'top' }}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Reference vs current shares on the report's shared bins (≤ 60), side by side. */
export function OverlayChart({ f }: { f: FeatureDriftView }) {
  const ref = f.referenceHistogram;
  const cur = f.currentHistogram;
  const data = ref.proportions.map((p, i) => ({
    bin: (ref.edges[i]! + ref.edges[i + 1]!) / 2,
    lo: ref.edges[i]!,
    hi: ref.edges[i + 1]!,
    reference: p,
    current: cur.proportions[i] ?? 0,
  }));
  const [lo, hi] = extent(ref.edges);
  // One tick per bin at most: decimals follow the bin width, so neighbouring bins never share a label.
  const binTick = rangeTickFormat(lo, hi, ref.edges.length);
  // Shares as percent, with the decimals the range needs (not "5% 5% 6%").
  const [, top] = extent(
    [...ref.proportions, ...cur.proportions].map((p) => p * 100),
    true,
  );
  const shareTicks = niceTicks(0, top).map((t) => t / 100);
  const pctTick = rangeTickFormat(0, top);
  return (
    <div className="chart" data-testid="drift-overlay" style={{ height: 240 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }} barGap={0} barCategoryGap={1}>
          <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
          <XAxis dataKey="bin" stroke="var(--muted)" fontSize={11} tickFormatter={binTick} />
          <YAxis
            stroke="var(--muted)"
            fontSize={11}
            width={48}
            domain={[0, shareTicks.at(-1)!]}
            ticks={shareTicks}
            tickFormatter={(v: number) => `${pctTick(v * 100)}%`}
          />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            labelFormatter={(_, items) => {
              const d = items?.[0]?.payload as { lo: number; hi: number } | undefined;
              return d ? `${fmtNum(d.lo, 2)} – ${fmtNum(d.hi, 2)}` : '';
            }}
            formatter={(v) => `${(Number(v) * 100).toFixed(1)}%`}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="reference" name="reference (training)" fill={PALETTE[0]} fillOpacity={0.75} isAnimationActive={false} />
          <Bar dataKey="current" name="current" fill={PALETTE[1]} fillOpacity={0.9} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * Drift over time: per chunk, the share of drifted features and the selected
 * feature's PSI, with the PSI threshold. Chunks too small to judge are gaps.
 */
export function DriftTrendChart(props: { trend: DriftTrendView; feature: string | null; psiThreshold: number }) {
  const { trend, feature } = props;
  const time = typeof trend.by === 'string';
  const data = trend.chunks.map((c) => ({
    x: time ? c.start! : c.rowStart!,
    share: c.assessed ? c.driftedShare : null,
    psi: c.assessed ? (c.features.find((f) => f.name === feature)?.psi ?? null) : null,
    rows: c.rows,
  }));
  const psiTop = Math.max(props.psiThreshold, ...data.map((d) => d.psi ?? 0)) * 1.15;
  const psiTick = rangeTickFormat(0, psiTop);
  const psiTicks = niceTicks(0, psiTop);
  const xFormat = (v: number): string => (time ? (trend.by === 'hour' ? fmtTime(v) : fmtDate(v)) : `row ${v.toLocaleString('en-US')}`);
  return (
    <div className="chart" data-testid="drift-trend" style={{ height: 240 }}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
          <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} stroke="var(--muted)" fontSize={11} tickFormatter={xFormat} />
          <YAxis
            yAxisId="share"
            stroke="var(--muted)"
            fontSize={11}
            width={44}
            domain={[0, 1]}
            tickFormatter={(v: number) => `${Math.round(v * 100)}%`}
          />
          <YAxis
            yAxisId="psi"
            orientation="right"
            stroke="var(--muted)"
            fontSize={11}
            width={52}
            domain={[0, psiTicks.at(-1)!]}
            ticks={psiTicks}
            tickFormatter={psiTick}
          />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            labelFormatter={(v) => xFormat(Number(v))}
            formatter={(v, name) => (name === 'drifted share' ? `${Math.round(Number(v) * 100)}%` : fmtPsi(Number(v)))}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line
            yAxisId="share"
            dataKey="share"
            name="drifted share"
            stroke={PALETTE[0]}
            dot={false}
            strokeWidth={1.4}
            isAnimationActive={false}
            connectNulls={false}
          />
          {feature && (
            <Line
              yAxisId="psi"
              dataKey="psi"
              name={`PSI ${feature}`}
              stroke={PALETTE[1]}
              dot={false}
              strokeWidth={1.4}
              isAnimationActive={false}
              connectNulls={false}
            />
          )}
          {feature && (
            <ReferenceLine
              yAxisId="psi"
              y={props.psiThreshold}
              stroke={ANOMALY_COLOR}
              strokeDasharray="4 4"
              label={{ value: `PSI ${props.psiThreshold}`, fontSize: 11, fill: 'var(--muted)', position: 'insideTopRight' }}
            />
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
