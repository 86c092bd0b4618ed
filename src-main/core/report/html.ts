import type { ReportData } from '../../contract/shared/report';
import { barChart, escapeXml as esc, histogramPair, lineChart } from './svg';

/**
 * The report as one self-contained HTML file (ARCHITECTURE §6b): inline CSS and
 * SVG, no script, no image or font fetched, so it opens the same mailed, on a
 * closed network, or printed to PDF. Sections carry ids (`health`, `drift`, …)
 * so a reader or a test can find them.
 */

export const REPORT_SECTIONS = ['health', 'drift', 'performance', 'buildings', 'versions', 'alerts'] as const;

/** Feature histograms drawn: the most drifted first; the table lists every feature. */
const MAX_HISTOGRAMS = 8;
/** Buildings charted; the table lists every building. */
const MAX_BUILDING_BARS = 25;

const CSS = `
:root{--fg:#1b1f24;--muted:#5b6470;--line:#d5dae0;--ok:#009E73;--warn:#E69F00;--bad:#D55E00}
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:24px auto;max-width:820px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:14px;margin:16px 0 6px}.muted{color:var(--muted)}.small{font-size:11px}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
th{font-weight:600;background:#f4f6f8}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-weight:600;color:#fff}
.healthy{background:var(--ok)}.warning{background:var(--warn);color:#000}.critical{background:var(--bad)}.no-model{background:var(--muted)}
.cards{display:flex;gap:10px;flex-wrap:wrap}.card{border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:150px}
.card b{display:block;font-size:18px}svg.chart{display:block;max-width:100%;height:auto;margin:6px 0}
svg .chart-title{font-size:12px;font-weight:600;fill:var(--fg)}svg .tick{font-size:10px;fill:var(--muted)}svg .muted{fill:var(--muted);font-size:12px}
svg .grid{stroke:#eceff2}svg .axis{stroke:#9aa3ad}svg .threshold{stroke:var(--bad);stroke-dasharray:4 3}
.hists{display:flex;flex-wrap:wrap;gap:8px}section{break-inside:auto}table,svg,.card{break-inside:avoid}
@page{size:A4;margin:14mm}@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
`;

function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

function fmtPct(v: number | null, digits = 2): string {
  return v === null || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)} %`;
}

function fmtNum(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 1000 ? fmtInt(Math.round(v)) : v.toFixed(digits);
}

function fmtP(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '—';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

function fmtTime(ms: number | null): string {
  return ms === null ? '—' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function table(headers: string[], rows: string[][], numeric: boolean[] = []): string {
  const th = headers.map((h, i) => `<th${numeric[i] ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function list(items: string[]): string {
  return items.length ? `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : '';
}

function card(label: string, value: string): string {
  return `<div class="card"><span class="muted small">${esc(label)}</span><b>${esc(value)}</b></div>`;
}

const STATUS_WORD = { healthy: '✔ Healthy', warning: '▲ Warning', critical: '✖ Critical', 'no-model': '– No model yet' } as const;

function healthSection(d: ReportData): string {
  const h = d.health;
  let readings = 0;
  let anomalies = 0;
  for (const x of d.daily) {
    readings += x.readings;
    anomalies += x.anomalies;
  }
  return [
    `<section id="health"><h2>Health</h2>`,
    `<p><span class="badge ${h.status}">${STATUS_WORD[h.status]}</span> ${esc(h.model)}${h.version ? ` ${esc(h.version)}` : ''}${h.alias ? ` (${esc(h.alias)})` : ''} <span class="muted small">checked ${esc(h.checkedAt)}</span></p>`,
    `<div class="cards">`,
    card('Drift score', h.drift ? h.drift.driftScore.toFixed(3) : '—'),
    card('Drifted features', h.drift ? `${h.drift.driftedFeatures.length} of ${h.drift.features.length}` : '—'),
    card('Anomaly rate (period)', fmtPct(readings ? anomalies / readings : null)),
    card('Readings (period)', fmtInt(readings)),
    `</div>`,
    h.reasons.length ? `<h3>Why</h3>${list(h.reasons)}` : '<p class="muted">Nothing to report: every check passed.</p>',
    h.recommendations.length ? `<h3>What to do</h3>${list(h.recommendations)}` : '',
    `</section>`,
  ].join('');
}

function driftSection(d: ReportData): string {
  const r = d.drift;
  if (!r) return `<section id="drift"><h2>Drift</h2><p class="muted">${esc(d.driftNote ?? 'No drift report.')}</p></section>`;
  const rows = [...r.features]
    .sort((a, b) => Number(b.drifted) - Number(a.drifted) || b.psi - a.psi)
    .map((f) => [
      esc(f.name),
      f.drifted ? '<b>▲ drifted</b>' : '✔ stable',
      fmtNum(f.psi),
      fmtP(f.ks.pAdjusted ?? f.ks.pValue),
      // In reference standard deviations, as the rule above and `greenlens drift` state it (the raw difference read as σ looked like drift).
      fmtNum(f.meanShift),
      fmtNum(f.wasserstein),
      esc(f.reasons.join('; ')),
    ]);
  const trend = r.trend
    ? lineChart({
        title: r.trend.chunks.some((c) => c.start !== null) ? 'PSI over time (data time)' : 'PSI by chunk of readings (row number)',
        xTime: r.trend.chunks.some((c) => c.start !== null),
        yLabel: 'PSI',
        threshold: { y: r.thresholds.psi, label: `threshold ${r.thresholds.psi}` },
        series: topPsi(
          r.features.map((f) => ({ name: f.name, psi: f.psi })),
          r.trend.features,
        ).map((name) => ({
          name,
          points: r.trend!.chunks.map(
            (c) => [c.start ?? c.rowStart ?? c.index, c.features.find((f) => f.name === name)?.psi ?? Number.NaN] as const,
          ),
        })),
      })
    : '';
  const hists = [...r.features]
    .sort((a, b) => b.psi - a.psi)
    .slice(0, MAX_HISTOGRAMS)
    .map((f) =>
      histogramPair({
        title: `${f.name} (PSI ${f.psi.toFixed(3)})`,
        edges: f.referenceHistogram.edges,
        reference: f.referenceHistogram.proportions,
        current: f.currentHistogram.proportions,
      }),
    )
    .join('');
  return [
    `<section id="drift"><h2>Drift</h2>`,
    `<p>${r.datasetDrift ? '<b>The data has drifted</b>' : 'No dataset drift'}: ${r.driftedFeatures.length} of ${r.features.length} features drifted, drift score ${r.driftScore.toFixed(3)}. `,
    `<span class="muted">${esc(r.current.kind === 'log' ? r.current.window : `${r.current.rows} rows`)} against the ${r.season ? 'training readings of the same weeks of the year' : 'reference'} of ${esc(r.version ?? '—')}. ${esc(r.rule)}</span></p>`,
    table(['Feature', 'Status', 'PSI', 'p (KS/χ²)', 'Mean shift σ', 'Wasserstein/σ', 'Reasons'], rows, [
      false,
      false,
      true,
      true,
      true,
      true,
      false,
    ]),
    trend,
    `<div class="hists">${hists}</div>`,
    `</section>`,
  ].join('');
}

/** The trend's features with the highest overall PSI (four lines stay readable). */
function topPsi(features: Array<{ name: string; psi: number }>, inTrend: string[]): string[] {
  return features
    .filter((f) => inTrend.includes(f.name))
    .sort((a, b) => b.psi - a.psi)
    .slice(0, 4)
    .map((f) => f.name);
}

function performanceSection(d: ReportData): string {
  const p = d.performance;
  const latencyRows: string[][] = [];
  if (p.latency)
    latencyRows.push([
      'Online request',
      fmtInt(p.latency.requests),
      fmtNum(p.latency.p50Ms, 1),
      fmtNum(p.latency.p95Ms, 1),
      fmtNum(p.latency.maxMs, 1),
    ]);
  if (p.readingLatency)
    latencyRows.push([
      'Batch, per reading',
      fmtInt(p.readingLatency.requests),
      fmtNum(p.readingLatency.p50Ms, 4),
      fmtNum(p.readingLatency.p95Ms, 4),
      fmtNum(p.readingLatency.maxMs, 4),
    ]);
  const c = p.classification;
  const daily = lineChart({
    title: 'Anomaly rate per day (data time)',
    xTime: true,
    yLabel: '% flagged',
    series: [
      { name: 'anomaly rate', points: d.daily.map((x) => [x.dayMs, x.readings ? (100 * x.anomalies) / x.readings : Number.NaN] as const) },
    ],
  });
  return [
    `<section id="performance"><h2>Performance</h2>`,
    `<p>${esc(p.window)}: ${fmtInt(p.anomalies)} flagged (${fmtPct(p.anomalyRate)}), ${fmtInt(p.requests)} requests, throughput ${p.throughputPerSec === null ? '—' : `${fmtInt(Math.round(p.throughputPerSec))} readings/s`}.</p>`,
    latencyRows.length
      ? table(['Latency', 'Requests', 'p50 ms', 'p95 ms', 'max ms'], latencyRows, [false, true, true, true, true])
      : '<p class="muted">No request in the period.</p>',
    c
      ? table(
          ['Labelled', 'Precision', 'Recall', 'F1', 'TP', 'FP', 'FN'],
          [
            [
              fmtInt(c.labelled),
              fmtNum(c.precision),
              fmtNum(c.recall),
              fmtNum(c.f1),
              fmtInt(c.truePositives),
              fmtInt(c.falsePositives),
              fmtInt(c.falseNegatives),
            ],
          ],
          [true, true, true, true, true, true, true],
        )
      : '<p class="muted">No labelled readings in the period: precision and recall need labels.</p>',
    daily,
    `<p id="flag-drivers"><b>What drove the flags:</b> ${esc(d.explanations.sentence)}</p>`,
    d.explanations.flagged > 0
      ? table(
          ['Feature', 'Led the flag', 'Mean share'],
          d.explanations.features.map((f) => [
            esc(f.feature),
            `${fmtInt(f.leading)} (${fmtPct(f.leadingShare, 0)})`,
            fmtPct(f.meanShare, 0),
          ]),
          [false, true, true],
        )
      : '',
    p.byVersion.length
      ? table(
          ['Version', 'Predictions', 'Anomalies', 'Rate', 'First', 'Last'],
          p.byVersion.map((v) => [
            esc(v.version),
            fmtInt(v.predictions),
            fmtInt(v.anomalies),
            fmtPct(v.anomalyRate),
            fmtTime(v.firstMs),
            fmtTime(v.lastMs),
          ]),
          [false, true, true, true, false, false],
        )
      : '',
    `</section>`,
  ].join('');
}

function buildingsSection(d: ReportData): string {
  if (!d.buildings)
    return `<section id="buildings"><h2>Anomalies per building</h2><p class="muted">${esc(d.buildingsNote ?? '')}</p></section>`;
  const ranked = [...d.buildings].sort((a, b) => b.anomalies - a.anomalies || b.anomalyRate - a.anomalyRate || a.id.localeCompare(b.id));
  return [
    `<section id="buildings"><h2>Anomalies per building</h2>`,
    d.buildingsNote ? `<p class="muted">${esc(d.buildingsNote)}</p>` : '',
    barChart({
      title: `Flagged readings, top ${Math.min(MAX_BUILDING_BARS, ranked.length)} buildings`,
      bars: ranked.slice(0, MAX_BUILDING_BARS).map((b) => ({ label: b.id, value: b.anomalies })),
      format: (v) => fmtInt(v),
    }),
    table(
      ['Building', 'Readings', 'Flagged', 'Rate'],
      ranked.map((b) => [esc(b.id), fmtInt(b.readings), fmtInt(b.anomalies), fmtPct(b.anomalyRate)]),
      [false, true, true, true],
    ),
    `</section>`,
  ].join('');
}

function versionsSection(d: ReportData): string {
  const v = d.versions;
  const rows = [...v.versions]
    .reverse()
    .map((m) => [
      esc(m.version),
      esc(m.createdAt.slice(0, 16).replace('T', ' ')),
      esc(m.aliases.join(', ') || (m.archived ? 'archived' : '')),
      esc(String(m.params.algorithm ?? 'isolation-forest')),
      fmtInt(m.trainingData.rows),
      fmtNum(m.metrics.f1 ?? null),
      esc(m.description),
    ]);
  const events = d.deployments.map((e) => [
    esc(e.time.slice(0, 16).replace('T', ' ')),
    esc(e.action),
    e.action === 'archive' ? esc(e.version) : `${esc(e.alias)}: ${esc(e.from ?? '—')} → ${esc(e.to)}`,
    esc(e.reason),
  ]);
  const c = d.comparison;
  const comparison = c
    ? [
        `<h3>Latest comparison: ${esc(c.a)} → ${esc(c.b)}</h3>`,
        table(
          ['Metric', c.a, c.b, 'Δ', ''],
          c.metrics
            .filter((m) => !m.name.startsWith('building_'))
            .map((m) => [
              esc(m.name),
              fmtNum(m.a),
              fmtNum(m.b),
              fmtNum(m.delta),
              m.better === null ? esc(m.caveat ?? '') : m.better ? '✔ better' : '▼ worse',
            ]),
          [false, true, true, true, false],
        ),
        c.params.length ? `<p class="small muted">Parameters changed: ${esc(c.params.map((p) => p.key).join(', '))}</p>` : '',
      ].join('')
    : '<p class="muted">One version only: nothing to compare yet.</p>';
  return [
    `<section id="versions"><h2>Versions</h2>`,
    table(['Version', 'Trained (UTC)', 'Aliases', 'Algorithm', 'Rows', 'F1', 'Description'], rows, [
      false,
      false,
      false,
      false,
      true,
      true,
      false,
    ]),
    events.length ? `<h3>Deployments</h3>${table(['Time (UTC)', 'Action', 'Change', 'Reason'], events)}` : '',
    comparison,
    `</section>`,
  ].join('');
}

function alertsSection(d: ReportData): string {
  if (d.alerts === null)
    return `<section id="alerts"><h2>Alerts</h2><p class="muted">No alert has fired in this registry yet.</p></section>`;
  if (d.alerts.length === 0) return `<section id="alerts"><h2>Alerts</h2><p>No alert in the period.</p></section>`;
  return [
    `<section id="alerts"><h2>Alerts</h2>`,
    table(
      ['Time', 'Level', 'Rule', 'Message', 'Status'],
      d.alerts.map((a) => [esc(a.time), esc(a.level), esc(a.rule), esc(a.message), esc(a.status)]),
    ),
    `</section>`,
  ].join('');
}

/** The whole report; every user-supplied text is escaped. */
/** Feature importance of the newest versions (attribution over flagged evaluation readings, permutation) and the weekly flag drivers. */
function importanceSection(d: ReportData): string {
  const withImportance = d.versions.versions.filter((v) => Object.keys(v.metrics).some((k) => k.startsWith('importance_'))).slice(-4);
  const newest = withImportance.at(-1);
  const weeks = (d.explanations.weeks ?? []).slice(-12);
  if (!newest && weeks.length === 0) return '';
  const features = newest
    ? Object.keys(newest.metrics)
        .filter((k) => k.startsWith('importance_'))
        .map((k) => k.slice('importance_'.length))
        .sort((a, b) => (newest.metrics[`importance_${b}`] ?? 0) - (newest.metrics[`importance_${a}`] ?? 0))
    : [];
  return [
    `<section id="importance"><h2>Feature importance</h2>`,
    newest
      ? `<p class="muted">Attribution: mean share of each feature in the explanations of the flagged evaluation readings, per version; permutation: mean change of the anomaly score with the feature shuffled (version ${esc(newest.version)}).</p>` +
        table(
          ['Feature', ...withImportance.map((v) => `Attribution ${v.version}`), 'Permutation'],
          features.map((f) => [
            esc(f),
            ...withImportance.map((v) => fmtPct(v.metrics[`importance_${f}`] ?? null, 0)),
            fmtNum(newest.metrics[`permutationImportance_${f}`]),
          ]),
          [false, ...withImportance.map(() => true), true],
        )
      : '',
    weeks.length
      ? `<p id="flag-drivers-weekly"><b>Week by week:</b> ${esc(weeks.at(-1)!.sentence)}</p>` +
        table(
          ['Week of (UTC)', 'Flags', 'Led by', 'Share'],
          weeks.map((w) => [
            new Date(w.weekStart).toISOString().slice(0, 10),
            fmtInt(w.flagged),
            esc(w.feature),
            fmtPct(w.leadingShare, 0),
          ]),
          [false, true, false, true],
        )
      : '',
    '</section>',
  ].join('\n');
}

export function renderReportHtml(d: ReportData): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta name="viewport" content="width=device-width,initial-scale=1"><title>GreenLens report: ${esc(d.model)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<header><h1>GreenLens report: ${esc(d.model)}</h1>`,
    `<p class="muted">Period: ${esc(d.period.label)} · registry ${esc(d.registry)} · generated ${esc(d.generatedAt)}</p></header>`,
    healthSection(d),
    driftSection(d),
    performanceSection(d),
    importanceSection(d),
    buildingsSection(d),
    versionsSection(d),
    alertsSection(d),
    '</body></html>',
  ].join('\n');
}
