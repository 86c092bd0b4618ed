import { roleOf } from '../../core/data/schema-infer';
import { GreenLensError } from '../../contract';
import type { Normalize } from '../../contract/ops/model';
import { applyPreprocess, unseenGroups, type GroupCodes } from '../../core/model';
import type { Dataset } from '../datasets';
import { numberColumns } from './columns';
import type { LoadedVersion } from './versions';

/**
 * Per-id normalisation in the backend: which id column training scales
 * within, and the forest's view of a dataset at scoring/explain time. The
 * maths is in core/model/preprocess.ts; this is about columns and errors.
 */

export type NormalizeChoice = { kind: 'none' } | { kind: 'per-id'; idColumn: string; groups: GroupCodes };

/** The dataset's id column (role id, stored as categories), if any. */
function datasetIdColumn(ds: Dataset): { name: string; groups: GroupCodes } | null {
  const c = ds.table.columns.find((col) => roleOf(ds.roles, col.name) === 'id' && col.kind === 'category');
  return c && c.kind === 'category' ? { name: c.name, groups: { codes: c.codes, dictionary: c.dictionary } } : null;
}

/** `requested` undefined means: per-id when the dataset has an id column, else none. */
export function chooseNormalize(ds: Dataset, requested: Normalize | undefined): NormalizeChoice {
  if (requested === 'none') return { kind: 'none' };
  const id = datasetIdColumn(ds);
  if (id) return { kind: 'per-id', idColumn: id.name, groups: id.groups };
  if (requested === 'per-id') {
    throw new GreenLensError('invalid_input', `Normalising per id needs an id column, and dataset "${ds.info.name}" has none.`, {
      field: 'normalize',
      hint: `Give the building/meter column the role "id" in the import review's Role column, or train without per-id scaling (CLI: --normalize none; Train panel: untick "Normalise per building").`,
    });
  }
  return { kind: 'none' };
}

export interface ModelInput {
  /** Feature columns as stored in the dataset (what the log, the CSV and explanations show). */
  raw: Float64Array[];
  /** Rows [start, end) as the forest sees them; a fresh copy when the version scales, else views. */
  forestView(start: number, end: number): Float64Array[];
  warnings: string[];
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * The version's features from `ds`, and how to turn them into the forest's
 * inputs. A per-id version needs the id column by the name it was trained
 * with: scaling a building with another's (or pooled) stats would score it
 * against the wrong yardstick, so a missing id column is an error rather
 * than a silent fallback. Ids unseen in training, and rows without an id,
 * get the global stats and a warning.
 */
export function modelInput(ds: Dataset, loaded: LoadedVersion, what: string): ModelInput {
  const { meta, model, preprocess } = loaded;
  const raw = numberColumns(ds, model.features, what, 'datasetId');
  if (preprocess.kind === 'none') return { raw, forestView: (s, e) => raw.map((c) => c.subarray(s, e)), warnings: [] };

  const name = preprocess.idColumn;
  const col = ds.table.columns.find((c) => c.name === name);
  if (!col) {
    throw new GreenLensError(
      'invalid_input',
      `${what}: ${meta.model} ${meta.version} scales each feature per "${name}", but dataset "${ds.info.name}" has no column "${name}".`,
      { field: 'datasetId', column: name, hint: `Score data that includes "${name}", or use a version trained with normalize "none".` },
    );
  }
  if (col.kind !== 'category') {
    throw new GreenLensError(
      'invalid_input',
      `${what}: column "${name}" must be the id column (text ids), but it was imported as ${col.kind}.`,
      {
        field: 'datasetId',
        column: name,
        hint: `Import the file with "${name}" as the id column (its role "id" in the import review's Role column).`,
      },
    );
  }
  const groups: GroupCodes = { codes: col.codes, dictionary: col.dictionary };
  const warnings: string[] = [];
  const unseen = unseenGroups(preprocess.scaler, groups);
  if (unseen.length) {
    const listed = unseen.slice(0, 5).join(', ') + (unseen.length > 5 ? ', …' : '');
    warnings.push(
      `${plural(unseen.length, `${name} value`, `${name} values`)} not seen in training (${listed}): scaled with all buildings' statistics, so their scores are less reliable.`,
    );
  }
  let missing = 0;
  for (let i = 0; i < col.codes.length; i++) if (col.codes[i]! < 0) missing++;
  if (missing) warnings.push(`${plural(missing, 'row has', 'rows have')} no ${name}: scaled with all buildings' statistics.`);
  return {
    raw,
    forestView: (s, e) =>
      applyPreprocess(
        preprocess,
        raw.map((c) => c.subarray(s, e)),
        { codes: groups.codes.subarray(s, e), dictionary: groups.dictionary },
      ),
    warnings,
  };
}
