import type { ColumnKind, ColumnRole, InferredColumnInfo as InferredColumn, InferredType } from '../../contract/shared/data';

export type { InferredColumnInfo as InferredColumn, InferredType } from '../../contract/shared/data';
export { columnRecord } from '../../contract/shared/data';
import { DATE_ISO, EPOCH_INFER_RANGE_S, MISSING_TOKENS, readCellText } from './csv-cells';
import { DEFAULT_CELL_FORMAT, type CellFormat } from './csv-reading';

/**
 * Schema inference from the first rows of a CSV (ARCHITECTURE §5): every numeric
 * column that is not a label or id is a feature, plus an optional timestamp,
 * id and label column.
 */

/**
 * What a column looks like. `category` is short repeated text that is kept
 * (e.g. `anomaly_type`); `text` is free text that is not stored at all.
 */

export interface SchemaOverrides {
  roles?: Record<string, ColumnRole>;
  kinds?: Record<string, ColumnKind>;
}

export const COLUMN_ROLES: readonly ColumnRole[] = ['feature', 'timestamp', 'id', 'label', 'ignored'];

/**
 * The role a record gives a column. Column names are data: a column called
 * `constructor` or `toString` must not find Object.prototype's members, so only
 * own properties count.
 */
export function roleOf(roles: Readonly<Record<string, string>> | undefined, name: string): ColumnRole | undefined {
  return roles && Object.hasOwn(roles, name) ? (roles[name] as ColumnRole) : undefined;
}

export const COLUMN_KINDS: readonly ColumnKind[] = ['number', 'time', 'category'];

const LABEL_NAME = /^(is[_ ]?anomal(y|ous)|anomal(y|ous)|anomaly[_ ]?(flag|label)|label|target|y|is[_ ]?outlier|outlier|is[_ ]?fault)$/i;
const ID_NAME =
  /^(id|.+[_ .-]id|building|building[_ .-]?(name|code|no|number|key)|meter|meter[_ .-]?(name|code|no|number|key)|site|site[_ .-]?name|sensor|device)$/i;
const CAMEL_ID = /[a-z0-9]Id$/;
/** Text columns that describe a label (anomaly_type, fault_class…) are never the id. */
const LABEL_LIKE = /anomal|label|type|class|fault|kind|status|category|reason/i;
const BOOLEAN_TOKENS: ReadonlySet<string> = new Set(['0', '1', '0.0', '1.0', 'true', 'false']);

/** Share of non-missing sample cells that must parse for a number/timestamp type. */
const PARSE_SHARE = 0.9;
/** Distinct non-numeric tokens a numeric column may contain (error codes, dashes). */
const MAX_JUNK = 3;
/** Longer average text is prose, not a category. */
const MAX_CATEGORY_LENGTH = 64;

/** timestamp, time, ts, epoch, date, datetime, unix as the name or a word of it (time_ms, unix_time, reading_ts). */
const TIME_NAME = /(^|[_ .-])(timestamp|time|datetime|date|epoch|ts|unix)([_ .-]|$)/i;

export function isTimeName(name: string): boolean {
  return TIME_NAME.test(name.trim());
}

export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name.trim());
}

export function isIdName(name: string): boolean {
  const n = name.trim();
  return ID_NAME.test(n) || CAMEL_ID.test(n);
}

interface ColumnStats {
  present: number;
  numeric: number;
  timestamps: number;
  booleans: number;
  distinct: number;
  /** Distinct values that are neither missing nor numeric (capped). */
  junk: number;
  /** Numeric values in the inference range of Unix epoch seconds, and of milliseconds. */
  epochS: number;
  epochMs: number;
  meanLength: number;
}

function columnStats(rows: readonly (readonly string[])[], index: number, format: CellFormat): ColumnStats {
  const seen = new Set<string>();
  const junk = new Set<string>();
  let present = 0;
  let numeric = 0;
  let timestamps = 0;
  let booleans = 0;
  let epochS = 0;
  let epochMs = 0;
  let length = 0;
  const [lo, hi] = EPOCH_INFER_RANGE_S;
  for (const row of rows) {
    const cell = row[index] ?? '';
    // isMissingText's token, also the boolean test's.
    const token = cell.trim().toLowerCase();
    if (MISSING_TOKENS.has(token)) continue;
    present++;
    length += cell.length;
    seen.add(cell);
    const read = readCellText(cell, format.decimal, format.dateOrder);
    const v = read.number;
    if (!Number.isNaN(v)) {
      numeric++;
      if (v >= lo && v <= hi) epochS++;
      else if (v >= lo * 1000 && v <= hi * 1000) epochMs++;
    } else if (junk.size <= MAX_JUNK) junk.add(cell);
    if (!Number.isNaN(read.timeMs)) timestamps++;
    if (BOOLEAN_TOKENS.has(token)) booleans++;
  }
  return {
    present,
    numeric,
    timestamps,
    booleans,
    distinct: seen.size,
    junk: junk.size,
    epochS,
    epochMs,
    meanLength: present ? length / present : 0,
  };
}

function classify(name: string, s: ColumnStats, format: CellFormat): { type: InferredType; reason: string } {
  if (s.present === 0) return { type: 'text', reason: 'no values in the sampled rows' };
  if (isLabelName(name) && s.booleans === s.present) return { type: 'label', reason: 'label name with 0/1 or true/false values' };
  if (s.timestamps >= PARSE_SHARE * s.present) {
    return {
      type: 'timestamp',
      reason: format.dateOrder === DATE_ISO ? 'ISO 8601 dates or datetimes' : 'numeric dates or datetimes (in the chosen date format)',
    };
  }
  // Epoch numbers would otherwise be a feature: the model would learn the clock.
  if (isTimeName(name) && s.numeric === s.present) {
    if (s.epochS === s.present) return { type: 'timestamp', reason: 'Unix epoch seconds (time-like name, values in 2000–2100)' };
    if (s.epochMs === s.present) return { type: 'timestamp', reason: 'Unix epoch milliseconds (time-like name, values in 2000–2100)' };
  }
  if (isIdName(name)) return { type: 'id', reason: 'id-like name' };
  if (s.numeric >= PARSE_SHARE * s.present) return { type: 'number', reason: 'numeric values' };
  // Mostly numbers with a few repeated error tokens ("ERR", "-"): still numeric.
  if (s.numeric >= 0.5 * s.present && s.junk <= MAX_JUNK) return { type: 'number', reason: 'mostly numeric values' };
  // Few distinct short values: a category. Tiny samples cannot show
  // repetition, so up to 50 distinct values pass there.
  const repeated = s.distinct <= 0.5 * s.present || (s.present < 100 && s.distinct <= 50);
  if (s.meanLength <= MAX_CATEGORY_LENGTH && repeated) return { type: 'category', reason: 'repeated short text' };
  return { type: 'text', reason: 'free text (not stored)' };
}

const KIND_OF_TYPE: Record<InferredType, ColumnKind | null> = {
  number: 'number',
  timestamp: 'time',
  id: 'category',
  label: 'number',
  category: 'category',
  text: null,
};

/**
 * Types and roles from a header and sample rows (strings as in the file).
 * Only the first label, timestamp and id get those roles; later ones are
 * kept but ignored. An id is found by name first, then as the first
 * repeated-text column that does not describe a label.
 */
export function inferSchema(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  overrides: SchemaOverrides = {},
  format: CellFormat = DEFAULT_CELL_FORMAT,
): InferredColumn[] {
  const columns: InferredColumn[] = header.map((name, index) => {
    const { type, reason } = classify(name, columnStats(rows, index, format), format);
    return { name, index, type, kind: KIND_OF_TYPE[type], role: 'ignored', reason };
  });
  if (!columns.some((c) => c.type === 'id')) {
    const candidate = columns.find((c) => c.type === 'category' && !LABEL_LIKE.test(c.name));
    if (candidate) {
      candidate.type = 'id';
      candidate.reason = 'repeated short text (first such column)';
    }
  }
  const taken = new Set<ColumnRole>();
  for (const c of columns) {
    const role = roleOfType(c.type);
    if (role === 'feature') c.role = role;
    else if (role !== 'ignored' && !taken.has(role)) {
      c.role = role;
      taken.add(role);
    }
  }
  return applyOverrides(columns, overrides);
}

function roleOfType(type: InferredType): ColumnRole {
  switch (type) {
    case 'number':
      return 'feature';
    case 'timestamp':
      return 'timestamp';
    case 'id':
      return 'id';
    case 'label':
      return 'label';
    default:
      return 'ignored';
  }
}

/** Storage kind implied by a role the user chose, given what the column looks like. */
function kindForRole(role: ColumnRole, c: InferredColumn): ColumnKind | null {
  switch (role) {
    case 'timestamp':
      return 'time';
    case 'label':
      return 'number';
    case 'id':
      return 'category';
    case 'feature':
      return c.type === 'category' || c.type === 'id' ? 'category' : c.type === 'timestamp' ? 'time' : 'number';
    case 'ignored':
      return KIND_OF_TYPE[c.type];
  }
}

export class SchemaOverrideError extends Error {
  constructor(
    message: string,
    readonly column: string,
  ) {
    super(message);
    this.name = 'SchemaOverrideError';
  }
}

/**
 * Applies user roles/kinds. A user-chosen timestamp, id or label takes that
 * role away from the inferred column, since each is single.
 */
export function applyOverrides(columns: InferredColumn[], overrides: SchemaOverrides): InferredColumn[] {
  const roles = overrides.roles ?? {};
  const kinds = overrides.kinds ?? {};
  const names = new Set(columns.map((c) => c.name));
  for (const [name, role] of Object.entries(roles)) {
    if (!names.has(name))
      throw new SchemaOverrideError(`role given for unknown column "${name}"; columns are: ${[...names].join(', ')}`, name);
    if (!COLUMN_ROLES.includes(role))
      throw new SchemaOverrideError(`unknown role "${String(role)}" for column "${name}"; use one of ${COLUMN_ROLES.join(', ')}`, name);
  }
  for (const [name, kind] of Object.entries(kinds)) {
    if (!names.has(name))
      throw new SchemaOverrideError(`kind given for unknown column "${name}"; columns are: ${[...names].join(', ')}`, name);
    if (!COLUMN_KINDS.includes(kind))
      throw new SchemaOverrideError(`unknown kind "${String(kind)}" for column "${name}"; use one of ${COLUMN_KINDS.join(', ')}`, name);
  }
  const single: ColumnRole[] = ['timestamp', 'id', 'label'];
  for (const role of single) {
    const chosen = Object.entries(roles)
      .filter(([, r]) => r === role)
      .map(([n]) => n);
    if (chosen.length > 1) throw new SchemaOverrideError(`only one column can be the ${role}; got ${chosen.join(', ')}`, chosen[1]!);
    if (chosen.length === 1) {
      for (const c of columns) if (c.role === role && c.name !== chosen[0] && roleOf(roles, c.name) === undefined) c.role = 'ignored';
    }
  }
  return columns.map((c) => {
    const own = roleOf(roles, c.name);
    const ownKind = Object.hasOwn(kinds, c.name) ? kinds[c.name] : undefined;
    const role = own ?? c.role;
    const kind = ownKind ?? (own !== undefined ? kindForRole(role, c) : c.kind);
    const changed = own !== undefined || ownKind !== undefined;
    return { ...c, role, kind, reason: changed ? 'set by the user' : c.reason };
  });
}
