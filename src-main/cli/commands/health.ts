import { resolve } from 'node:path';
import type { HealthResult } from '../../contract/shared/monitoring';
import { parseCommandArgs, requiredArg } from '../args';
import { CliBackend } from '../backend';
import { EXIT, type CliIo } from '../io';
import { checkRegistryDir } from '../../backend/registry/existing-dir';

export const healthHelp = `greenlens health   --registry DIR [--model M]
  Health of the model's current version (production alias, else the newest): drift of its
  recent logged predictions, latency and anomaly rate, with reasons and recommendations.`;

const ICON = { healthy: '✔', warning: '▲', critical: '✖' } as const;

export async function healthCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { registry: { type: 'string' }, model: { type: 'string' } });
  const registry = await checkRegistryDir(resolve(requiredArg(values.registry, 'registry')));
  const backend = new CliBackend(io, registry);
  const health = await backend.run('monitoring.health', values.model ? { model: values.model } : {});
  // The JSON carries the summary; the per-hour trend is for charts and would bury the answer.
  io.result({ ...health, performance: health.performance ? { ...health.performance, trend: undefined } : null });
  io.say(humanHealth(health));
  return EXIT.ok;
}

function humanHealth(h: HealthResult): string {
  const lines = [
    `${ICON[h.status]} ${h.status.toUpperCase()}  ${h.model}${h.version ? ` ${h.version}` : ''}${h.alias ? ` (${h.alias})` : ''}`,
  ];
  if (h.drift) {
    lines.push(
      `Drift: ${h.drift.driftedFeatures.length} of ${h.drift.features.length} features drifted over the last ${h.drift.rows.toLocaleString('en-US')} predictions (score ${h.drift.driftScore.toFixed(3)}).`,
    );
  }
  const p = h.performance;
  if (p && p.predictions > 0) {
    const p95 = p.latency ? `${p.latency.p95Ms.toFixed(1)} ms` : '—';
    const rate = p.anomalyRate !== null ? `${(p.anomalyRate * 100).toFixed(1)}%` : '—';
    lines.push(`Performance: ${p.predictions.toLocaleString('en-US')} recent predictions, latency p95 ${p95}, anomaly rate ${rate}.`);
  }
  if (h.reasons.length) lines.push('', 'Why:', ...h.reasons.map((r) => `  - ${r}`));
  if (h.recommendations.length) lines.push('', 'What to do:', ...h.recommendations.map((r) => `  - ${r}`));
  return lines.join('\n');
}
