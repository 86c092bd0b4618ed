import { GreenLensError } from '../../contract';
import type { ContextualModel, ContextualInput } from '../../core/model/contextual/types';
import type { Dataset } from '../datasets';
import { numberColumns } from './columns';
import { metersByData, MIN_WEEKLY_R2 } from './meter-by-data';

/**
 * How the contextual detector reads a dataset: the timestamp column, the id
 * column (buildings), the outdoor temperature, the meters it baselines and
 * the columns its stuck rule watches. Training chooses them; scoring reads
 * them back by the names the version recorded.
 */

/** Energy-like by name: kW/kWh/W columns, energy, power, load, consumption, demand. */
const ENERGY = /(^|[_\s-])(k?w|k?wh|mw|mwh)($|[_\s-])|energy|power|load|consumption|demand|watt/i;
const OUTDOOR_TEMP = /(outdoor|outside|ambient|oat|dry.?bulb|au(ss|\u00df)en).*temp|temp.*(outdoor|outside|ambient|au(ss|\u00df)en)|^oat$/i;
const ANY_TEMP = /temp/i;

function column(ds: Dataset, role: 'timestamp' | 'id'): { name: string } | null {
  const c = ds.table.columns.find((col) => ds.roles[col.name] === role && col.kind === (role === 'timestamp' ? 'time' : 'category'));
  return c ? { name: c.name } : null;
}

export function hasTimestamp(ds: Dataset): boolean {
  return column(ds, 'timestamp') !== null;
}

export interface ContextualColumns {
  timeColumn: string;
  idColumn: string | null;
  meters: string[];
  temperature: string | null;
  stuckCandidates: string[];
  /** How the meter was chosen when no column is named like one (for the training result's warnings); null otherwise. */
  meterNote: string | null;
}

export function chooseContextualColumns(ds: Dataset, features: string[], meters: string[] | undefined): ContextualColumns {
  const time = column(ds, 'timestamp');
  if (!time) {
    throw new GreenLensError('invalid_input', `The contextual detector needs a timestamp column, and dataset "${ds.info.name}" has none.`, {
      field: 'algorithm',
      hint: 'Mark the time column as the timestamp when importing, or train with algorithm "isolation-forest".',
    });
  }
  const temperature = features.find((f) => OUTDOOR_TEMP.test(f)) ?? features.find((f) => ANY_TEMP.test(f)) ?? null;
  let chosen = meters ?? features.filter((f) => ENERGY.test(f) && f !== temperature);
  let meterNote: string | null = null;
  if (chosen.length === 0) {
    // No name says "meter": the non-negative column that most follows the hour of the week is the load.
    const best = metersByData(ds, features, temperature, time.name)[0];
    if (!best || best.r2 < MIN_WEEKLY_R2) {
      throw new GreenLensError(
        'invalid_input',
        `No feature of dataset "${ds.info.name}" looks like an energy meter (kW, kWh, power, load…, or a non-negative column following the hour of the week).`,
        {
          field: 'meters',
          hint: 'Name the meter columns (--meters), or train with algorithm "isolation-forest".',
        },
      );
    }
    chosen = [best.name];
    meterNote =
      `No column of dataset "${ds.info.name}" is named like an energy meter, so "${best.name}" is baselined: the non-negative ` +
      `column that most follows the hour of the week (R² ${best.r2.toFixed(2)}). Name the meters with --meters to choose others.`;
  }
  numberColumns(ds, chosen, 'Training', 'meters');
  if (temperature && chosen.includes(temperature)) {
    throw new GreenLensError('invalid_input', `Column "${temperature}" cannot be both the temperature and a meter.`, {
      field: 'meters',
      column: temperature,
    });
  }
  return {
    timeColumn: time.name,
    idColumn: column(ds, 'id')?.name ?? null,
    meters: chosen,
    temperature,
    stuckCandidates: [...features],
    meterNote,
  };
}

export function timeValues(ds: Dataset, name: string, what: string): Float64Array {
  const c = ds.table.columns.find((col) => col.name === name);
  if (!c || c.kind !== 'time') {
    throw new GreenLensError('invalid_input', `${what}: dataset "${ds.info.name}" has no timestamp column "${name}".`, {
      field: 'datasetId',
      column: name,
      hint: `Score data that includes "${name}" as its timestamp column.`,
    });
  }
  return c.values;
}

function groups(ds: Dataset, name: string | null, what: string): ContextualInput['groups'] {
  if (name === null) return null;
  const c = ds.table.columns.find((col) => col.name === name);
  if (!c || c.kind !== 'category') {
    throw new GreenLensError(
      'invalid_input',
      `${what}: the version baselines each "${name}", but dataset "${ds.info.name}" has no id column "${name}".`,
      {
        field: 'datasetId',
        column: name,
        hint: `Score data that includes "${name}" (imported as the id column).`,
      },
    );
  }
  return { codes: c.codes, dictionary: c.dictionary };
}

export function contextualInput(
  ds: Dataset,
  cols: { timeColumn: string; idColumn: string | null; meters: string[]; temperature: string | null; stuck: string[] },
  what: string,
): ContextualInput {
  return {
    time: timeValues(ds, cols.timeColumn, what),
    groups: groups(ds, cols.idColumn, what),
    temperature: cols.temperature ? numberColumns(ds, [cols.temperature], what, 'datasetId')[0]! : null,
    meters: numberColumns(ds, cols.meters, what, 'datasetId'),
    stuckColumns: numberColumns(ds, cols.stuck, what, 'datasetId'),
  };
}

/** The columns a stored model reads, for scoring and explanations. */
export function modelColumns(model: ContextualModel, timeColumn: string, idColumn: string | null) {
  return { timeColumn, idColumn, meters: model.meters, temperature: model.temperature, stuck: model.stuckColumns };
}

/** A category column holding the fault type per row (e.g. `anomaly_type`), for recall per type. */
export function faultTypeColumn(ds: Dataset): { codes: Int32Array; dictionary: string[] } | null {
  const c = ds.table.columns.find((col) => /^(anomaly|fault)_?type$/i.test(col.name) && col.kind === 'category');
  return c && c.kind === 'category' ? c : null;
}
