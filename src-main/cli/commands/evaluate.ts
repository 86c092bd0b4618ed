import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GreenLensError } from '../../contract';
import { EvaluateInputSchema } from '../../contract/ops/loop';
import type { EvaluatedVersion, EvaluationResult } from '../../contract/shared/loop';
import { parseCommandArgs, requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import type { CliIo } from '../io';
import { flagValue } from '../schema-args';
import { csvFlags, csvFlagsHelp, csvReadArgs } from './csv-options';
import { nameArg } from './train';

export const evaluateHelp = `greenlens evaluate --registry DIR --data FILE.csv --challenger V [--champion ALIAS|V] [--model M]
                   [--labelled-only] [--resamples 200] [--seed 42] [CSV options]
  Score the champion (default: production) and the challenger on the same rows:
  with labels precision, recall, F1, ROC AUC and recall per fault type with
  bootstrap 95 % intervals; always anomaly rate vs target, flag agreement
  (Jaccard), score-distribution shift (KS) and latency. Kept in jobs.ndjson.
${csvFlagsHelp}`;

export async function evaluateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    registry: { type: 'string' },
    data: { type: 'string' },
    challenger: { type: 'string' },
    champion: { type: 'string' },
    model: { type: 'string' },
    'labelled-only': { type: 'boolean' },
    resamples: { type: 'string' },
    seed: { type: 'string' },
    ...csvFlags,
  });
  const registry = resolve(requiredArg(values.registry, 'registry'));
  const data = resolve(requiredArg(values.data, 'data'));
  const challenger = requiredArg(values.challenger, 'challenger');
  const fields = EvaluateInputSchema.shape;
  if (!fields.challenger.safeParse(challenger).success)
    throw new UsageError(`--challenger must be a semantic version like 1.0.1, got "${challenger}".`);
  if (!existsSync(registry)) throw new GreenLensError('not_found', `No registry at ${registry}.`, { file: registry });
  const backend = new CliBackend(io, registry);
  const model = nameArg(values.model, 'model');
  const r = await backend.run('model.evaluate', {
    challenger,
    ...(values.champion ? { champion: values.champion } : {}),
    ...(model ? { model } : {}),
    data: { path: data, csv: csvReadArgs(values) },
    labelledOnly: values['labelled-only'] === true,
    resamples: flagValue(fields.resamples, 'resamples', values.resamples),
    seed: flagValue(fields.seed, 'seed', values.seed),
  });
  io.result(r);
  for (const line of describeEvaluation(r)) io.say(line);
  return 0;
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const ci = (i: { low: number; high: number } | null): string => (i ? ` [${i.low.toFixed(3)}, ${i.high.toFixed(3)}]` : '');

function sideLine(name: string, s: EvaluatedVersion): string {
  const l = s.labelled;
  const quality = l
    ? `, precision ${l.precision.toFixed(3)}${ci(l.ci.precision)}, recall ${l.recall.toFixed(3)}${ci(l.ci.recall)}, F1 ${l.f1.toFixed(3)}${ci(l.ci.f1)}, ROC AUC ${l.rocAuc === null ? 'n/a' : l.rocAuc.toFixed(3)}${ci(l.ci.rocAuc)}`
    : '';
  return `${name} ${s.version} (${s.algorithm}): ${s.anomalies.toLocaleString('en-US')} flagged (${pct(s.anomalyRate)})${quality}, p95 ${s.latencyP95MsPer1k.toFixed(2)} ms per 1,000 readings`;
}

export function describeEvaluation(r: EvaluationResult): string[] {
  const lines = [
    `Evaluated ${r.model} on ${r.data.name}: ${r.data.rows.toLocaleString('en-US')} rows (${r.data.labelled.toLocaleString('en-US')} labelled), the same rows for both.`,
    sideLine('Champion  ', r.champion),
    sideLine('Challenger', r.challenger),
    `Target anomaly rate ${pct(r.targetRate)}; flag agreement (Jaccard) ${r.jaccard.toFixed(3)}; score shift KS ${r.scoreShift.ks.toFixed(3)}.`,
  ];
  if (r.delta)
    lines.push(
      `Challenger − champion (95 % bootstrap, ${r.bootstrap.resamples} resamples, seed ${r.bootstrap.seed}): F1${ci(r.delta.f1)}, ROC AUC${ci(r.delta.rocAuc)}.`,
    );
  for (const [type, recall] of Object.entries(r.challenger.labelled?.recallByType ?? {})) {
    lines.push(`  recall ${type}: ${(r.champion.labelled?.recallByType[type] ?? 0).toFixed(3)} → ${recall.toFixed(3)}`);
  }
  lines.push(`Kept as ${r.id} in jobs.ndjson.`);
  return lines;
}
