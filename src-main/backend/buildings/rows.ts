import { GreenLensError } from '../../contract';
import type { Dataset } from '../datasets';
import { idColumn } from '../model/columns';

/** Indices where codes[i] === code, in order. */
function rowsOfCode(codes: Int32Array, code: number): Int32Array {
  let n = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === code) n++;
  const out = new Int32Array(n);
  for (let i = 0, j = 0; i < codes.length; i++) if (codes[i] === code) out[j++] = i;
  return out;
}

/** A dataset's rows whose id column names the building; a building the data lacks is a clear error, not an empty chart. */
export function rowsOfBuilding(ds: Dataset, building: string): Int32Array {
  const ids = idColumn(ds.table, ds.roles);
  if (!ids) {
    throw new GreenLensError('invalid_input', `Dataset "${ds.info.name}" has no id column, so it has no buildings to pick from.`, {
      field: 'building',
      hint: 'Import the data with its building column as the id column.',
    });
  }
  const code = ids.dictionary.indexOf(building);
  if (code < 0) throw new GreenLensError('not_found', `Dataset "${ds.info.name}" has no building "${building}".`, { field: 'building' });
  return rowsOfCode(ids.codes, code);
}

/** The values at `rows`, in that order. */
export function take(col: ArrayLike<number>, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = col[rows[j]!]!;
  return out;
}
