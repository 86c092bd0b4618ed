import type { OpArgs } from '../../contract';
import { GreenLensError } from '../../contract/shared/errors';
import { MAX_FLAG_MARKERS, type BuildingReadings } from '../../contract/shared/buildings';
import type { Series } from '../../contract/shared/data';
import { roleOf } from '../../core/data/schema-infer';
import { downsampleMinMax } from '../../core/data/downsample';
import { predict, scoreSamples } from '../../core/model';
import { scoreContextual } from '../../core/model/contextual/detector';
import type { ContextualInput } from '../../core/model/contextual/types';
import type { Registry } from '../../core/registry';
import type { Dataset } from '../datasets';
import type { JobContext } from '../job';
import { timeColumn } from '../model/columns';
import { contextualInput, modelColumns } from '../model/contextual-data';
import { modelInput } from '../model/normalize';
import { loadDetector, resolveVersion } from '../model/versions';
import { pickModel } from '../registry/pick-model';
import { currentRegistry, registryDirOf } from '../registry-access';
import type { BackendState } from '../state';
import { rowsOfBuilding, take } from './rows';

/**
 * buildings.readings: one building's readings of a dataset over data time,
 * the contextual version's expected load for the drawn meter, and the flagged
 * readings. Every building is scored from its own rows alone
 * (scoreContextualPart), so only the picked building is scored: a year of
 * 15-minute readings of one building is 35k rows whatever the fleet's size.
 * The series are thinned to `maxPoints` keeping each bucket's extremes.
 */
export async function buildingReadings(
  args: OpArgs<'buildings.readings'>,
  ctx: JobContext,
  state: BackendState,
): Promise<BuildingReadings> {
  const started = performance.now();
  const ds = await state.datasets.get(args.datasetId, registryDirOf(state));
  const rows = sortedByTime(rowsOfBuilding(ds, args.building), timeColumn(ds.table, ds.roles));
  ctx.progress('scoring the building', 0, 1);
  const scored = await scoreBuilding(args, ds, rows, state);
  // The building's total load when the version baselines it (the meter people read first), else its first meter.
  const column = args.column ?? (scored?.meters.includes('total_kw') ? 'total_kw' : scored?.meters[0]) ?? defaultColumn(ds);
  const values = take(numeric(ds, column), rows);
  const times = timeColumn(ds.table, ds.roles);
  const x = times ? take(times, rows) : Float64Array.from(rows);
  const meter = scored?.meters.indexOf(column) ?? -1;
  const expected = scored?.expected && meter >= 0 ? scored.expected[meter]! : null;
  const readings = series(column, x, values, args.maxPoints);
  let flagged = 0;
  const flagRows: number[] = [];
  if (scored) {
    for (let j = 0; j < rows.length; j++) if (scored.flags[j]) flagRows.push(j);
    flagged = flagRows.length;
  }
  ctx.progress('scoring the building', 1, 1);
  return {
    datasetId: ds.info.id,
    building: args.building,
    column,
    rows: rows.length,
    fromMs: times && rows.length ? x[0]! : null,
    toMs: times && rows.length ? x[rows.length - 1]! : null,
    readings,
    expected: expected ? series('expected', x, expected, args.maxPoints) : null,
    expectedNote: expectedNote(scored, column),
    flagged,
    flags: spread(flagRows, MAX_FLAG_MARKERS).map((j) => ({ x: x[j]!, y: values[j]! })),
    downsampled: rows.length > args.maxPoints,
    model: scored?.model ?? null,
    version: scored?.version ?? null,
    algorithm: scored?.algorithm ?? null,
    elapsedMs: Math.round(performance.now() - started),
  };
}

interface Scored {
  model: string;
  version: string;
  algorithm: 'contextual' | 'isolation-forest';
  /** Flags per building row (in `rows` order). */
  flags: Uint8Array;
  /** Contextual only: the baselined meters and each one's expected value per building row. */
  meters: string[];
  expected: Float64Array[] | null;
}

/** The building's flags (and baseline) under the asked version; null when the registry has no model to score with. */
async function scoreBuilding(
  args: OpArgs<'buildings.readings'>,
  ds: Dataset,
  rows: Int32Array,
  state: BackendState,
): Promise<Scored | null> {
  if (!state.registryPath) return null;
  const registry = await currentRegistry(state);
  const model = await pickModel(registry, args.model);
  if (!(await hasVersions(registry, model))) {
    // A named version must exist; the selected model of an empty registry just has nothing to score with yet.
    if (args.version !== undefined) {
      throw new GreenLensError('not_found', `Model "${model}" has no version to score building ${args.building} with.`, { field: 'model' });
    }
    return null;
  }
  const meta = await resolveVersion(registry, model, args.version !== undefined ? { version: args.version } : {});
  const detector = await loadDetector(registry, meta);
  const what = `Scoring building ${args.building} with ${meta.model} ${meta.version}`;
  if (detector.kind === 'contextual') {
    const a = detector.artifact;
    const s = scoreContextual(a.model, subset(contextualInput(ds, modelColumns(a.model, a.timeColumn, a.idColumn), what), rows));
    return { model, version: meta.version, algorithm: 'contextual', flags: s.flags, meters: a.model.meters, expected: s.expected };
  }
  // The forest's per-building scaling is fitted per id, so the building's rows of the scaled view score as in the whole dataset.
  const view = modelInput(ds, detector, what).forestView(0, ds.table.rowCount);
  const flags = predict(
    detector.model,
    scoreSamples(
      detector.model,
      view.map((c) => take(c, rows)),
    ),
  );
  return { model, version: meta.version, algorithm: 'isolation-forest', flags, meters: [], expected: null };
}

async function hasVersions(registry: Registry, model: string): Promise<boolean> {
  return (await registry.listModels()).some((m) => m.name === model);
}

/** The contextual input of one building's rows (a single group: the building keeps its own baseline). */
export function subset(input: ContextualInput, rows: Int32Array): ContextualInput {
  return {
    time: take(input.time, rows),
    groups: input.groups ? { codes: Int32Array.from(rows, (i) => input.groups!.codes[i]!), dictionary: input.groups.dictionary } : null,
    temperature: input.temperature ? take(input.temperature, rows) : null,
    meters: input.meters.map((c) => take(c, rows)),
    stuckColumns: input.stuckColumns.map((c) => take(c, rows)),
  };
}

function expectedNote(scored: Scored | null, column: string): string | null {
  if (!scored) return 'No model is trained in this registry: train the contextual detector to see the expected load and flags.';
  const who = `${scored.model} ${scored.version}`;
  if (scored.algorithm === 'isolation-forest') {
    return `Expected load needs the contextual detector: ${who} is an Isolation Forest, which flags readings without predicting a baseline.`;
  }
  if (!scored.meters.includes(column)) return `${who} predicts a baseline for ${scored.meters.join(', ')}, not for ${column}.`;
  return null;
}

/** Row indices in data-time order (stable, so rows with equal times keep the file's order). */
function sortedByTime(rows: Int32Array, times: Float64Array | null): Int32Array {
  if (!times) return rows;
  let sorted = true;
  for (let j = 1; j < rows.length && sorted; j++) sorted = times[rows[j - 1]!]! <= times[rows[j]!]!;
  if (sorted) return rows;
  return Int32Array.from([...rows].sort((a, b) => times[a]! - times[b]! || a - b));
}

function series(name: string, x: Float64Array, y: Float64Array, maxPoints: number): Series {
  return { name, ...downsampleMinMax(x, y, maxPoints) };
}

/** At most `max` of the items, evenly spread from the first to the last. */
export function spread<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  if (max <= 1) return items.slice(0, max);
  return Array.from({ length: max }, (_, k) => items[Math.round((k * (items.length - 1)) / (max - 1))]!);
}

function defaultColumn(ds: Dataset): string {
  const numeric = ds.table.columns.filter((c) => c.kind === 'number' && roleOf(ds.roles, c.name) === 'feature');
  const name = numeric.find((c) => c.name === 'total_kw')?.name ?? numeric[0]?.name;
  if (!name) throw new GreenLensError('invalid_input', `Dataset "${ds.info.name}" has no numeric feature to draw.`, { field: 'column' });
  return name;
}

function numeric(ds: Dataset, name: string): Float64Array {
  const c = ds.table.columns.find((col) => col.name === name);
  if (!c) throw new GreenLensError('not_found', `Dataset "${ds.info.name}" has no column "${name}".`, { field: 'column', column: name });
  if (c.kind !== 'number') throw new GreenLensError('invalid_input', `Column "${name}" is not numeric.`, { field: 'column', column: name });
  return c.values;
}
