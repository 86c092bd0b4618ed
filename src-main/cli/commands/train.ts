import { resolve } from 'node:path';
import type { ColumnRole } from '../../contract/ops/data';
import { columnRecord } from '../../contract/shared/data';
import { TrainInputSchema } from '../../contract/ops/model';
import { NameSchema, VersionSchema } from '../../contract/ops/registry';
import { DEFAULT_MODEL } from '../../contract/shared/registry';
import { parseCommandArgs, requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import type { CliIo } from '../io';
import { flagValue } from '../schema-args';
import { csvFlags, csvFlagsHelp, csvReadArgs, importJson, noteReading } from './csv-options';

export const trainHelp = `greenlens train    --registry DIR --data FILE.csv [--model energy-anomaly]
                   [--features a,b,c] [--label COL] [--trees 100] [--sample-size 256]
                   [--contamination 0.01|auto] [--seed N] [--version X.Y.Z] [--alias NAME]
                   [--holdout 0.2] [--normalize none|per-id] [--description TEXT]
                   [--algorithm contextual|isolation-forest] [--meters a,b] [--stuck-hours 6]
                   [--include-feedback]
  Train an anomaly model on a CSV and register it as a new version.
  --algorithm contextual (the default when the CSV has a timestamp column and
  an energy-like feature) baselines each building's meters by time of week and
  outdoor temperature and adds sequence rules; isolation-forest (the default
  otherwise, with a note saying why) judges each reading alone.
  --normalize per-id scales each feature within its building (the id column);
  the default when the CSV has an id column.
  --include-feedback counts verdicts from \`greenlens feedback\` as labels (fault 1,
  false alarm 0) for the metrics, matched by building and timestamp.
${csvFlagsHelp}`;

/** A model or alias name, checked by the contract's own rule so the CLI and the app agree. */
export function nameArg(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const r = NameSchema.safeParse(value);
  if (!r.success) throw new UsageError(`--${flag} "${value}" is not a valid name: ${r.error.issues[0]!.message}.`);
  return r.data;
}

export function versionArg(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!VersionSchema.safeParse(value).success) throw new UsageError(`--version must be a semantic version like 1.2.0, got "${value}".`);
  return value;
}

function listArg(value: string | undefined, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`--${flag} must be a comma-separated list of column names, got "${value}".`);
  return items;
}

export async function trainCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    registry: { type: 'string' },
    data: { type: 'string' },
    model: { type: 'string' },
    features: { type: 'string' },
    label: { type: 'string' },
    trees: { type: 'string' },
    'sample-size': { type: 'string' },
    contamination: { type: 'string' },
    seed: { type: 'string' },
    version: { type: 'string' },
    alias: { type: 'string' },
    holdout: { type: 'string' },
    normalize: { type: 'string' },
    description: { type: 'string' },
    ...csvFlags,
    algorithm: { type: 'string' },
    meters: { type: 'string' },
    'stuck-hours': { type: 'string' },
    'include-feedback': { type: 'boolean' },
  });
  const meters = listArg(values.meters, 'meters');
  const registry = resolve(requiredArg(values.registry, 'registry'));
  const reading = csvReadArgs(values);
  const data = resolve(requiredArg(values.data, 'data'));
  const features = listArg(values.features, 'features');
  const label = values.label;
  // Bounds and defaults are the model.train schema's; a bad flag fails before the CSV is read.
  const field = TrainInputSchema.shape;
  // Unset: the backend picks per-id when the data has an id column.
  const normalize = flagValue(field.normalize, 'normalize', values.normalize);
  const input = {
    model: nameArg(values.model, 'model') ?? DEFAULT_MODEL,
    trees: flagValue(field.trees, 'trees', values.trees),
    sampleSize: flagValue(field.sampleSize, 'sample-size', values['sample-size']),
    contamination: flagValue(field.contamination, 'contamination', values.contamination),
    seed: flagValue(field.seed, 'seed', values.seed),
    holdout: flagValue(field.holdout, 'holdout', values.holdout),
    ...(features ? { features } : {}),
    // Unset: the backend picks contextual when the data has a timestamp column.
    ...(values.algorithm !== undefined ? { algorithm: flagValue(field.algorithm, 'algorithm', values.algorithm) } : {}),
    ...(meters ? { meters } : {}),
    stuckHours: flagValue(field.stuckHours, 'stuck-hours', values['stuck-hours']),
    ...(label ? { label } : {}),
    ...(values['include-feedback'] ? { includeFeedback: true } : {}),
    ...(normalize ? { normalize } : {}),
    ...(values.version ? { version: versionArg(values.version) } : {}),
    ...(values.alias ? { alias: nameArg(values.alias, 'alias') } : {}),
    ...(values.description ? { description: values.description } : {}),
  };
  // Named columns get their role at import, so a named label is never also a default feature.
  const roles = columnRecord<ColumnRole>();
  for (const f of [...(features ?? []), ...(meters ?? [])]) roles[f] = 'feature';
  if (label) roles[label] = 'label';

  const backend = new CliBackend(io, registry);
  // keep: false — the CLI reads its CSV for this command only; kept datasets are the app's.
  const ds = await backend.run('data.import', { path: data, keep: false, ...reading, ...(Object.keys(roles).length ? { roles } : {}) });
  noteReading(io, data, ds.import?.reading, ds.import?.warnings);
  const r = await backend.run('model.train', { datasetId: ds.id, ...input });
  for (const w of r.warnings) io.warn(w);
  io.result({
    model: r.model,
    version: r.version,
    params: r.params,
    metrics: r.metrics,
    trainingData: r.versionMeta.trainingData,
    aliases: r.versionMeta.aliases,
    warnings: r.warnings,
    registry,
    data,
    import: importJson(ds.import),
  });
  const m = r.metrics;
  const quality =
    m.f1 !== null && m.f1 !== undefined
      ? `; F1 ${m.f1.toFixed(3)}, ROC AUC ${m.rocAuc?.toFixed(3) ?? 'n/a'} (${m.evaluatedOn ? 'holdout' : 'training data'})`
      : '';
  if (r.params.algorithm === 'contextual') {
    const types = Object.entries(m)
      .filter(([k, v]) => k.startsWith('recall_') && v !== null)
      .map(([k, v]) => `${k.slice(7)} ${v!.toFixed(2)}`);
    io.say(
      `Registered ${r.model} ${r.version} in ${registry}${r.versionMeta.aliases.length ? ` (${r.versionMeta.aliases.join(', ')})` : ''}: ` +
        `contextual detector on ${r.versionMeta.trainingData.rows.toLocaleString('en-US')} readings of ${m.buildings ?? 0} building(s), meters ${(r.params.meters ?? []).join(', ')}, ` +
        `temperature ${r.params.temperatureColumn ?? 'none'}; anomaly rate ${((m.anomalyRate ?? 0) * 100).toFixed(2)}%${quality}` +
        `${types.length ? `; recall by type: ${types.join(', ')}` : ''}; trained in ${Math.round(m.trainingMs ?? 0)} ms.`,
    );
    for (const w of r.warnings ?? []) io.say(`Warning: ${w}`);
    return 0;
  }
  io.say(
    `Registered ${r.model} ${r.version} in ${registry}${r.versionMeta.aliases.length ? ` (${r.versionMeta.aliases.join(', ')})` : ''}: ` +
      `${r.params.trees} trees on ${r.versionMeta.trainingData.rows.toLocaleString('en-US')} rows × ${r.params.features.length} features, ` +
      `${r.params.idColumn ? `scaled per ${r.params.idColumn}, ` : ''}threshold ${r.params.threshold.toFixed(4)}, anomaly rate ${((m.anomalyRate ?? 0) * 100).toFixed(2)}%${quality}; trained in ${Math.round(m.trainingMs ?? 0)} ms.`,
  );
  return 0;
}
