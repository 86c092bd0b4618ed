import { resolve } from 'node:path';
import type { DriftResult, FeatureDriftView } from '../../contract/shared/monitoring';
import { parseCommandArgs, requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import { EXIT, type CliIo } from '../io';
import { csvFlags, csvFlagsHelp, csvReadArgs, noteReading } from './csv-options';
import { checkRegistryDir } from '../../backend/registry/existing-dir';
import { renderTable } from './table';
import { countText } from '../count-text';

export const driftHelp = `greenlens drift    --current FILE.csv (--registry DIR [--model M] [--version V | --alias A]
                   | --reference FILE.csv) [--features a,b] [--fail-on-drift]
  Compare current readings with a model version's training reference (or a reference CSV):
  PSI, KS, mean shift, Wasserstein and Jensen–Shannon per feature. Thresholds come from the
  settings. With --fail-on-drift the exit code is 3 when any feature drifted.
  The reading flags below apply to --current and --reference alike.
${csvFlagsHelp}`;

export async function driftCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    current: { type: 'string' },
    registry: { type: 'string' },
    reference: { type: 'string' },
    model: { type: 'string' },
    version: { type: 'string' },
    alias: { type: 'string' },
    features: { type: 'string' },
    'fail-on-drift': { type: 'boolean' },
    ...csvFlags,
  });
  const csv = csvReadArgs(values);
  const current = resolve(requiredArg(values.current, 'current'));
  if (!values.registry && !values.reference)
    throw new UsageError('give --registry DIR (compare with a model version) or --reference FILE.csv.');
  if (values.registry && values.reference) throw new UsageError('give either --registry or --reference, not both.');
  if (values.version && values.alias) throw new UsageError('give either --version or --alias, not both.');
  if (values.reference && (values.model || values.version || values.alias))
    throw new UsageError('--model, --version and --alias need --registry, not --reference.');
  const features = values.features
    ?.split(',')
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
  if (values.features !== undefined && features!.length === 0) throw new UsageError('--features needs at least one column name.');

  const registry = values.registry ? await checkRegistryDir(resolve(values.registry)) : null;
  const backend = new CliBackend(io, registry);
  const result = await backend.run('drift.report', {
    ...(values.model ? { model: values.model } : {}),
    ...(values.version ? { version: values.version } : {}),
    ...(values.alias ? { alias: values.alias } : {}),
    ...(values.reference ? { reference: { path: resolve(values.reference), csv } } : {}),
    current: { path: current, csv },
    ...(features ? { features } : {}),
    chunkBy: 'none',
  });
  if (result.reference.kind === 'csv') noteReading(io, result.reference.path, result.reference.reading);
  if (result.current.kind === 'csv') noteReading(io, result.current.path, result.current.reading);
  io.result(toJson(result));
  io.say(humanReport(result));
  const drifted = result.driftedFeatures.length > 0;
  return values['fail-on-drift'] && drifted ? EXIT.drift : EXIT.ok;
}

/** ARCHITECTURE §7's JSON: the report without histograms and trend (those are for charts). */
function toJson(r: DriftResult): Record<string, unknown> {
  return {
    features: r.features.map((f) => ({
      name: f.name,
      kind: f.kind,
      psi: f.psi,
      ks: f.ks,
      meanShift: f.meanShift,
      wasserstein: f.wasserstein,
      wassersteinRaw: f.wassersteinRaw,
      jensenShannon: f.jensenShannon,
      ...(f.chiSquare ? { chiSquare: f.chiSquare } : {}),
      drifted: f.drifted,
      reasons: f.reasons,
      firedTests: f.firedTests,
      notes: f.notes,
      counts: f.counts,
    })),
    driftedShare: r.driftedShare,
    datasetDrift: r.datasetDrift,
    driftedFeatures: r.driftedFeatures,
    driftScore: r.driftScore,
    alerts: r.alerts,
    skipped: r.skipped,
    rule: r.rule,
    thresholds: r.thresholds,
    model: r.model,
    version: r.version,
    reference: r.reference,
    current: r.current,
  };
}

const fix = (x: number, d: number): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));
/** p-values in scientific notation below 0.001 (ARCHITECTURE §8a). */
const pval = (p: number | null): string => (p === null ? '—' : p === 0 ? '0' : p < 0.001 ? p.toExponential(1) : p.toFixed(3));

function humanReport(r: DriftResult): string {
  const rows = r.features.map((f: FeatureDriftView) => [
    f.name,
    fix(f.psi, 3),
    fix(f.ks.statistic, 3),
    pval(f.chiSquare ? f.chiSquare.pValue : f.ks.pValue),
    pval(f.chiSquare ? f.chiSquare.pAdjusted : f.ks.pAdjusted),
    fix(f.meanShift, 2),
    fix(f.wasserstein, 3),
    fix(f.jensenShannon, 3),
    f.drifted ? 'DRIFT' : 'ok',
  ]);
  const table = renderTable(['feature', 'PSI', 'KS D', 'p', 'p adj', 'mean shift σ', 'Wass/σ', 'JS', 'verdict'], rows, [
    false,
    true,
    true,
    true,
    true,
    true,
    true,
    true,
    false,
  ]);
  const ref =
    r.reference.kind === 'profile'
      ? r.season
        ? `${r.reference.model} ${r.reference.version} (its training readings from the same weeks of the year, ${countText(r.season.rows)} sampled)`
        : `${r.reference.model} ${r.reference.version} (training profile, ${r.reference.rows.toLocaleString('en-US')} rows)`
      : `${r.reference.path} (${r.reference.rows.toLocaleString('en-US')} rows)`;
  const lines = [
    `Reference: ${ref}`,
    `Current:   ${r.current.kind === 'log' ? r.current.window : 'path' in r.current ? r.current.path : r.current.name} (${r.current.rows.toLocaleString('en-US')} rows)`,
    '',
    table,
    '',
  ];
  for (const f of r.features.filter((x) => x.drifted)) lines.push(`  ${f.name}: ${f.reasons.join('; ')}`);
  for (const s of r.skipped) lines.push(`  skipped ${s.name}: ${s.reason}`);
  const verdict = r.datasetDrift ? 'Dataset drift' : r.driftedFeatures.length > 0 ? 'Feature drift' : 'No drift';
  lines.push(
    `${verdict}: ${r.driftedFeatures.length} of ${r.features.length} features drifted (${(r.driftedShare * 100).toFixed(0)}%), drift score ${r.driftScore.toFixed(3)}.`,
  );
  return lines.join('\n');
}
