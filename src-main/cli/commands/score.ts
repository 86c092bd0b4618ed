import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { GreenLensError } from '../../contract';
import { parseCommandArgs, requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import type { CliIo } from '../io';
import { countText } from '../count-text';
import { csvFlags, csvFlagsHelp, csvReadArgs, importJson, noteReading } from './csv-options';
import { nameArg, versionArg } from './train';

export const scoreHelp = `greenlens score    --registry DIR --data FILE.csv [--model M] [--version V | --alias A]
                   [--out FILE.csv] [--no-log]
  Score a CSV with a registered version (default: production, else the latest),
  log the predictions, and optionally write the rows plus anomaly_score and is_anomaly.
${csvFlagsHelp}`;

export async function scoreCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    registry: { type: 'string' },
    data: { type: 'string' },
    model: { type: 'string' },
    version: { type: 'string' },
    alias: { type: 'string' },
    out: { type: 'string', short: 'o' },
    'no-log': { type: 'boolean' },
    ...csvFlags,
  });
  const reading = csvReadArgs(values);
  const registry = resolve(requiredArg(values.registry, 'registry'));
  const data = resolve(requiredArg(values.data, 'data'));
  if (values.version !== undefined && values.alias !== undefined) throw new UsageError('give either --version or --alias, not both.');
  const version = versionArg(values.version);
  const alias = nameArg(values.alias, 'alias');
  const model = nameArg(values.model, 'model');
  const out = values.out === undefined ? undefined : resolve(values.out);
  // Scoring never creates a registry: a mistyped path should fail, not leave an empty folder behind.
  if (!existsSync(registry)) {
    throw new GreenLensError('not_found', `No registry at ${registry}.`, {
      file: registry,
      hint: 'Train a model first: greenlens train --registry DIR --data FILE.csv',
    });
  }

  const backend = new CliBackend(io, registry);
  // A missing file is reported by the import, with its usual message.
  const bytes = statSync(data, { throwIfNoEntry: false })?.size;
  const { ds, r } = await (async () => {
    try {
      if (bytes !== undefined) await backend.prestartScoring(bytes, { model, version, alias });
      const ds = await backend.run('data.import', { path: data, keep: false, ...reading });
      noteReading(io, data, ds.import?.reading, ds.import?.warnings);
      const r = await backend.run('model.score', {
        datasetId: ds.id,
        ...(model ? { model } : {}),
        log: values['no-log'] !== true,
        ...(version ? { version } : {}),
        ...(alias ? { alias } : {}),
        ...(out ? { out } : {}),
      });
      return { ds, r };
    } finally {
      // Scoring started for a file that then failed to import is dropped, so its thread does not hold the process open.
      backend.endScoring();
    }
  })();
  io.result({
    model: r.model,
    version: r.version,
    data,
    import: importJson(ds.import),
    rows: r.rows,
    anomalies: r.anomalies,
    anomalyRate: r.anomalyRate,
    threshold: r.threshold,
    latencyMs: r.latencyMs,
    threads: r.threads,
    requestId: r.requestId,
    logged: r.logged,
    scores: r.scoreSummary,
    evaluation: r.evaluation,
    out: r.out,
    normalize: r.normalize,
    warnings: r.warnings,
    ...(r.algorithm ? { algorithm: r.algorithm } : {}),
    ...(r.recallByType ? { recallByType: r.recallByType } : {}),
    ...(r.flaggedByMember ? { flaggedByMember: r.flaggedByMember } : {}),
    ...(r.ab ? { ab: r.ab } : {}),
    topAnomalies: r.top
      .slice(0, 20)
      .map(({ time, id, score }) => ({ time: time === null ? null : new Date(time).toISOString(), id, score })),
  });
  const pct = ((100 * r.anomalies) / Math.max(1, r.rows)).toFixed(2);
  io.say(
    `Scored ${countText(r.rows)} rows with ${r.model} ${r.version}: ${countText(r.anomalies)} anomalies (${pct}%), ` +
      `threshold ${r.threshold.toFixed(4)}, ${r.latencyMs.toFixed(1)} ms. ${r.logged ? `Logged ${countText(r.logged)} predictions.` : 'Not logged (--no-log).'}`,
  );
  if (r.ab)
    io.say(
      r.ab.mode === 'ab'
        ? `A/B run: challenger ${r.ab.challenger} decided ${countText(r.ab.challengerReadings)} of the rows.`
        : `Shadow run: challenger ${r.ab.challenger} scored every row and decided none (logged as shadow).`,
    );
  for (const w of r.warnings) io.say(`Warning: ${w}`);
  if (r.out) {
    const renamed = Object.entries(r.out.renamed).map(([from, to]) => `input column ${from} kept as ${to}`);
    io.say(`Wrote ${r.out.path} with anomaly_score and is_anomaly${renamed.length ? ` (${renamed.join(', ')})` : ''}.`);
  }
  return 0;
}
