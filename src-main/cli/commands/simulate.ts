import { resolve } from 'node:path';
import { SimulateInputSchema } from '../../contract/ops/data';
import { BUILDING_KINDS, type BuildingKind } from '../../contract/shared/data';
import { parseCommandArgs, requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import type { CliIo } from '../io';
import { flagValue } from '../schema-args';

export const simulateHelp = `greenlens simulate --out FILE.csv [--buildings 3] [--days 30] [--seed 42]
                   [--anomaly-rate 0.01] [--drift none|heatwave|equipment|sensor-degradation]
                   [--profile basic|year] [--years 2] [--kinds office,school,retail,hospital]
  Generate hourly building energy readings with labelled anomalies.
  --seed picks the weather, noise and faults; the buildings stay the same, so
  another seed is more readings from the fleet a model was trained on.
  --profile year writes whole years (--years, not --days) of buildings of the
  given kinds with seasons, schedules, holidays and six fault types (there the
  seed picks the buildings too).`;

function kindsArg(value: string | undefined): BuildingKind[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  const bad = items.find((k) => !(BUILDING_KINDS as readonly string[]).includes(k));
  if (bad !== undefined) throw new UsageError(`--kinds must list kinds among ${BUILDING_KINDS.join(', ')}, got "${bad}".`);
  return items as BuildingKind[];
}

export async function simulateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    out: { type: 'string', short: 'o' },
    buildings: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    'anomaly-rate': { type: 'string' },
    drift: { type: 'string' },
    start: { type: 'string' },
    profile: { type: 'string' },
    years: { type: 'string' },
    kinds: { type: 'string' },
  });
  // Bounds and defaults are the data.simulate schema's.
  const field = SimulateInputSchema.shape;
  const profile = flagValue(field.profile, 'profile', values.profile);
  const year = profile === 'year';
  const years = year ? (flagValue(field.years, 'years', values.years) ?? 1) : undefined;
  if (year && values.days !== undefined) throw new UsageError('--days does not apply to --profile year; give --years.');
  if (year && values.drift !== undefined) throw new UsageError('--drift is only available with --profile basic.');
  if (!year && (values.years !== undefined || values.kinds !== undefined)) {
    throw new UsageError('--years and --kinds need --profile year.');
  }
  const kinds = kindsArg(values.kinds);
  const out = resolve(requiredArg(values.out, 'out'));
  const input = {
    buildings: flagValue(field.buildings, 'buildings', values.buildings),
    ...(year ? { profile, years } : {}),
    ...(kinds ? { kinds } : {}),
    days: year ? 365 * (years ?? 1) : flagValue(field.days, 'days', values.days),
    seed: flagValue(field.seed, 'seed', values.seed),
    anomalyRate: flagValue(field.anomalyRate, 'anomaly-rate', values['anomaly-rate']),
    drift: flagValue(field.drift, 'drift', values.drift),
    ...(values.start ? { start: values.start } : {}),
  };
  const backend = new CliBackend(io);
  const started = performance.now();
  const ds = await backend.run('data.simulate', input);
  const written = await backend.run('data.exportCsv', { datasetId: ds.id, path: out });
  const summary = {
    out,
    rows: ds.rows,
    bytes: written.bytes,
    ...input,
    labelledAnomalies: ds.labelledAnomalies,
    columns: ds.columns.map((c) => c.name),
    features: ds.summary.filter((s) => s.role === 'feature').map(({ name, mean, std, min, max }) => ({ name, mean, std, min, max })),
    elapsedMs: Math.round(performance.now() - started),
  };
  io.result(summary);
  io.say(
    `Wrote ${ds.rows.toLocaleString('en-US')} rows (${input.buildings} buildings × ${input.days} days) to ${out}; ${ds.labelledAnomalies ?? 0} labelled anomalies.`,
  );
  return 0;
}
