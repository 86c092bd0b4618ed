import type { ModelNamed } from '../registry/pick-model';
import { GreenLensError, type OpArgs } from '../../contract';
import type { ExplainResult } from '../../contract/ops/model';
import { explainRowAt, scoreSamples } from '../../core/model';
import { currentRegistry, registryDirOf } from '../registry-access';
import type { BackendState } from '../state';
import { finiteOrNull, idAt, idColumn, timeColumn } from './columns';
import { modelInput } from './normalize';
import { explainContextual } from './explain-contextual';
import { loadDetector, referencePercentiles, resolveVersion } from './versions';

/** model.explain: which features isolated one reading, next to the training percentiles. */
export async function explainReading(args: ModelNamed<OpArgs<'model.explain'>>, state: BackendState): Promise<ExplainResult> {
  const ds = await state.datasets.get(args.datasetId, registryDirOf(state));
  if (args.row >= ds.table.rowCount) {
    throw new GreenLensError('invalid_input', `Row ${args.row} is out of range: dataset "${ds.info.name}" has ${ds.table.rowCount} rows.`, {
      field: 'row',
    });
  }
  const registry = await currentRegistry(state);
  const meta = await resolveVersion(registry, args.model, args);
  const detector = await loadDetector(registry, meta);
  if (detector.kind === 'contextual')
    return explainContextual(args, ds, meta, detector.artifact, await referencePercentiles(registry, meta));
  const loaded = detector;
  const { model, preprocess } = loaded;
  const reference = await referencePercentiles(registry, meta);
  const missing = model.features.filter((f) => !reference[f]);
  if (missing.length) {
    throw new GreenLensError('corrupt', `${meta.model} ${meta.version}: the reference profile has no entry for ${missing.join(', ')}.`);
  }
  const input = modelInput(ds, loaded, `Explaining with ${meta.model} ${meta.version}`);
  // Paths are walked with what the forest saw; values and percentiles shown are raw (kW, °C).
  const seen = input.forestView(args.row, args.row + 1);
  const raw = input.raw.map((c) => c.subarray(args.row, args.row + 1));
  const contributions = explainRowAt(model, seen, 0, reference, args.topK, raw);
  const score = scoreSamples(model, seen)[0]!;
  const seenOf = (feature: string): number | null =>
    preprocess.kind === 'per-id' ? finiteOrNull(seen[model.features.indexOf(feature)]![0]) : null;
  const times = timeColumn(ds.table, ds.roles);
  return {
    model: meta.model,
    version: meta.version,
    datasetId: ds.info.id,
    row: args.row,
    time: times ? finiteOrNull(times[args.row]) : null,
    id: idAt(idColumn(ds.table, ds.roles), args.row),
    score,
    flagged: score > model.threshold,
    threshold: model.threshold,
    normalize: preprocess.kind,
    contributions: contributions.map((c) => ({
      feature: c.feature,
      share: c.contribution,
      value: finiteOrNull(c.value),
      reference: { p05: finiteOrNull(c.reference.p05), p50: finiteOrNull(c.reference.p50), p95: finiteOrNull(c.reference.p95) },
      direction: c.direction,
      normalized: seenOf(c.feature),
    })),
  };
}
