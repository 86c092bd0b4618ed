import { resolve } from 'node:path';
import { SimulateInputSchema } from '../../contract/ops/data';
import { parseCommandArgs, requiredArg } from '../args';
import { CliBackend } from '../backend';
import type { CliIo } from '../io';
import { flagValue } from '../schema-args';

export const simulateHelp = `greenlens simulate --out FILE.csv [--buildings 3] [--days 30] [--seed 42]
                   [--anomaly-rate 0.01] [--drift none|heatwave|equipment|sensor-degradation]
  Generate hourly building energy readings with labelled anomalies.`;

export async function simulateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    out: { type: 'string', short: 'o' },
    buildings: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    'anomaly-rate': { type: 'string' },
    drift: { type: 'string' },
    start: { type: 'string' },
  });
  const out = resolve(requiredArg(values.out, 'out'));
  // Bounds and defaults are the data.simulate schema's.
  const field = SimulateInputSchema.shape;
  const input = {
    buildings: flagValue(field.buildings, 'buildings', values.buildings),
    days: flagValue(field.days, 'days', values.days),
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
