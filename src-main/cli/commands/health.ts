import { resolve } from 'node:path';
import { driftWindowWords, type HealthResult } from '../../contract/shared/monitoring';
import { parseCommandArgs, requiredArg } from '../args';
import { CliBackend } from '../backend';
import { EXIT, type CliIo } from '../io';
import { checkRegistryDir } from '../../backend/registry/existing-dir';

export const healthHelp = `greenlens health   --registry DIR [--model M]
  Health of the model's current version (production alias, else the newest): drift of its
  recent logged predictions, latency and anomaly rate, with reasons and recommendations.
  Without --model: every model of the registry. Exits 4 when a model is critical.`;

const ICON = { healthy: '✔', warning: '▲', critical: '✖', 'no-model': '–' } as const;
const WORD = { healthy: 'HEALTHY', warning: 'WARNING', critical: 'CRITICAL', 'no-model': 'NO MODEL YET' } as const;
const RANK = { 'no-model': 0, healthy: 1, warning: 2, critical: 3 } as const;

export async function healthCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { registry: { type: 'string' }, model: { type: 'string' } });
  const registry = await checkRegistryDir(resolve(requiredArg(values.registry, 'registry')));
  const backend = new CliBackend(io, registry);
  const names = values.model ? [values.model] : (await backend.run('registry.info', {})).models.map((m) => m.name);
  // An empty registry: the backend answers "no model yet" for the default name.
  const results: HealthResult[] = [];
  for (const model of names.length ? names : [undefined]) results.push(await backend.run('monitoring.health', model ? { model } : {}));
  // The JSON carries the summary; the per-hour trends are for charts and would bury the answer.
  const compact = results.map((h) => ({
    ...h,
    performance: h.performance ? { ...h.performance, trend: undefined, latencyTrend: undefined } : null,
  }));
  const worst = results.reduce((w, h) => (RANK[h.status] > RANK[w] ? h.status : w), results[0]!.status);
  io.result(compact.length === 1 ? compact[0] : { status: worst, models: compact });
  io.say(results.map(humanHealth).join('\n\n'));
  return worst === 'critical' ? EXIT.critical : EXIT.ok;
}

function humanHealth(h: HealthResult): string {
  const lines = [`${ICON[h.status]} ${WORD[h.status]}  ${h.model}${h.version ? ` ${h.version}` : ''}${h.alias ? ` (${h.alias})` : ''}`];
  if (h.drift) {
    lines.push(
      `Drift: ${h.drift.driftedFeatures.length} of ${h.drift.features.length} features drifted over ${driftWindowWords(h.drift)} (score ${h.drift.driftScore.toFixed(3)}).`,
    );
  }
  const p = h.performance;
  if (p && p.predictions > 0) {
    const latency = [
      p.latency ? `request latency p95 ${p.latency.p95Ms.toFixed(1)} ms (${p.online.requests} online requests)` : null,
      p.readingLatency
        ? `batch latency p95 ${Number(p.readingLatency.p95Ms.toPrecision(2))} ms a reading (${p.batch.requests} batches)`
        : null,
    ].filter((x) => x !== null);
    const rate = p.anomalyRate !== null ? `${(p.anomalyRate * 100).toFixed(1)}%` : '—';
    lines.push(`Performance: ${p.predictions.toLocaleString('en-US')} recent predictions, ${latency.join(', ')}, anomaly rate ${rate}.`);
  }
  if (h.reasons.length) lines.push('', 'Why:', ...h.reasons.map((r) => `  - ${r}`));
  if (h.recommendations.length) lines.push('', 'What to do:', ...h.recommendations.map((r) => `  - ${r}`));
  return lines.join('\n');
}
