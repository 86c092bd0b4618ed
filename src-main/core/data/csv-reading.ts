import type { CsvReadingInfo, DATE_FORMATS, DateFormatName, DECIMAL_SEPARATORS, DecimalSeparator } from '../../contract/shared/data';
import { COMMA, DATE_DMY, DATE_ISO, DATE_MDY, DOT, isMissingText, type DateOrder, type DecimalCode } from './csv-cells';
import type { EncodingChoice } from './csv-text';

/**
 * Decimal separator and date order from the sampled cells, for files written
 * by European BMS tools (`6,3`, `3.389,9`, `01.11.2026 00:00`). Each choice
 * comes with a note saying what was chosen and from what evidence.
 */

export interface CellFormat {
  decimal: DecimalCode;
  dateOrder: DateOrder;
}

export const DEFAULT_CELL_FORMAT: CellFormat = { decimal: DOT, dateOrder: DATE_ISO };

export function decimalCode(d: DecimalSeparator): DecimalCode {
  return d === ',' ? COMMA : DOT;
}

export function dateOrder(f: DateFormatName): DateOrder {
  return f === 'dd/mm/yyyy' ? DATE_DMY : f === 'mm/dd/yyyy' ? DATE_MDY : DATE_ISO;
}

/** A comma that can only be a decimal point: `6,3`, `33,95`, `1234,5`, or grouped `3.389,9`. */
const COMMA_DECIMAL = /^[+-]?(\d{1,3}(\.\d{3})+,\d+|\d+,(\d{1,2}|\d{4,})|\d{4,},\d+|0,\d+)$/;
/** A dot that can only be a decimal point: `6.3`, `1234.5`, or grouped `3,389.9`. */
const DOT_DECIMAL = /^[+-]?(\d{1,3}(,\d{3})+\.\d+|\d+\.(\d{1,2}|\d{4,})|\d{4,}\.\d+|0\.\d+)$/;
/** `1,234`: a decimal comma or a thousands comma, the data cannot say. */
const AMBIGUOUS_COMMA = /^[+-]?[1-9]\d{0,2},\d{3}$/;
const NUMERIC_DATE = /^\s*(\d{1,2})([./-])(\d{1,2})\2(\d{4})([ Tt]\d{1,2}:\d{2}.*)?\s*$/;

export interface InferredDecimal {
  decimal: DecimalSeparator;
  note: string;
}

export function inferDecimal(rows: readonly (readonly string[])[], delimiter: string): InferredDecimal {
  let comma = 0;
  let dot = 0;
  let ambiguous = 0;
  let commaExample = '';
  let dotExample = '';
  for (const row of rows) {
    for (const raw of row) {
      const cell = raw.trim();
      if (cell.length === 0 || cell.length > 32) continue;
      if (COMMA_DECIMAL.test(cell)) {
        if (comma++ === 0) commaExample = cell;
      } else if (DOT_DECIMAL.test(cell)) {
        if (dot++ === 0) dotExample = cell;
      } else if (AMBIGUOUS_COMMA.test(cell)) ambiguous++;
    }
  }
  if (comma > dot) {
    const also = dot > 0 ? `; ${dot} cells like ${dotExample} read otherwise` : '';
    return { decimal: ',', note: `decimal ',' (inferred: ${comma} sampled cells like ${commaExample}${also})` };
  }
  if (comma === 0 && dot === 0 && ambiguous > 0 && delimiter === ';') {
    return {
      decimal: ',',
      note: `decimal ',' (inferred: ';'-separated file whose numbers like 1,234 could be either; choose decimal '.' if they are thousands)`,
    };
  }
  if (dot > 0) return { decimal: '.', note: `decimal '.' (inferred: ${dot} sampled cells like ${dotExample})` };
  return { decimal: '.', note: `decimal '.' (the default: no sampled number has a decimal separator)` };
}

export interface InferredDateFormat {
  dateFormat: DateFormatName;
  note: string;
  /** Set when the sample cannot settle the order; said in the warnings. */
  warning?: string;
}

/**
 * Day-first or month-first from numeric dates: a first field above 12 means
 * day-first, a second above 12 month-first. When neither shows (all fields ≤ 12),
 * day-first, the order of `.`-separated dates and of most BMS exports.
 */
export function inferDateFormat(rows: readonly (readonly string[])[]): InferredDateFormat {
  let dates = 0;
  let dayFirst = 0;
  let monthFirst = 0;
  let example = '';
  let dayExample = '';
  let monthExample = '';
  let sep = '';
  for (const row of rows) {
    for (const cell of row) {
      if (cell.length > 40 || isMissingText(cell)) continue;
      const m = NUMERIC_DATE.exec(cell);
      if (!m) continue;
      if (dates++ === 0) {
        example = cell.trim();
        sep = m[2]!;
      }
      if (Number(m[1]) > 12 && dayFirst++ === 0) dayExample = cell.trim();
      if (Number(m[3]) > 12 && monthFirst++ === 0) monthExample = cell.trim();
    }
  }
  if (dates === 0) return { dateFormat: 'iso', note: 'dates ISO 8601 (no day/month/year dates in the sample)' };
  const fmt = (f: string) => f.replace(/\//g, sep);
  if (dayFirst > 0 && monthFirst === 0) {
    return { dateFormat: 'dd/mm/yyyy', note: `dates ${fmt('dd/mm/yyyy')} (inferred: a first field above 12, e.g. ${dayExample})` };
  }
  if (monthFirst > 0 && dayFirst === 0) {
    return { dateFormat: 'mm/dd/yyyy', note: `dates ${fmt('mm/dd/yyyy')} (inferred: a second field above 12, e.g. ${monthExample})` };
  }
  if (dayFirst > 0 && monthFirst > 0) {
    const choice = dayFirst >= monthFirst ? 'dd/mm/yyyy' : 'mm/dd/yyyy';
    return {
      dateFormat: choice,
      note: `dates ${fmt(choice)} (inferred from most dates; ${Math.min(dayFirst, monthFirst)} dates fit only the other order)`,
      warning: `Dates mix day-first and month-first: ${dayFirst} have a day above 12 first, ${monthFirst} second; read as ${choice}. Set the date format if that is wrong.`,
    };
  }
  return {
    dateFormat: 'dd/mm/yyyy',
    note: `dates ${fmt('dd/mm/yyyy')} (day first: no field above 12 in the sample settles it, e.g. ${example})`,
    warning: `Dates like ${example} could be day-first or month-first; read as day-first (${fmt('dd/mm/yyyy')}). Set the date format to mm/dd/yyyy if that is wrong.`,
  };
}

export interface ReadingRequest {
  decimal: (typeof DECIMAL_SEPARATORS)[number];
  dateFormat: (typeof DATE_FORMATS)[number];
  /** Whether the delimiter was given (else the tokenizer detected it). */
  delimiterGiven: boolean;
}

const DELIMITER_NAMES: Record<string, string> = { ',': "','", ';': "';'", '\t': 'tab', '|': "'|'" };

/** The cell format for the sampled rows, and what to tell the user about how the file is read. */
export function resolveReading(
  rows: readonly (readonly string[])[],
  request: ReadingRequest,
  delimiter: string,
  encoding: EncodingChoice,
): { format: CellFormat; reading: CsvReadingInfo; warnings: string[] } {
  const warnings: string[] = [];
  const decimal =
    request.decimal === 'auto'
      ? inferDecimal(rows, delimiter)
      : { decimal: request.decimal, note: `decimal '${request.decimal}' (as chosen)` };
  let date: InferredDateFormat;
  if (request.dateFormat === 'auto') {
    date = inferDateFormat(rows);
    if (date.warning) warnings.push(date.warning);
  } else date = { dateFormat: request.dateFormat, note: `dates ${request.dateFormat} (as chosen)` };
  const delimiterName = DELIMITER_NAMES[delimiter] ?? `'${delimiter}'`;
  const reading: CsvReadingInfo = {
    encoding: encoding.encoding,
    delimiter,
    decimal: decimal.decimal,
    dateFormat: date.dateFormat,
    inferred: {
      encoding: encoding.inferred,
      delimiter: !request.delimiterGiven,
      decimal: request.decimal === 'auto',
      dateFormat: request.dateFormat === 'auto',
    },
    notes: [
      `encoding ${encoding.reason}`,
      `delimiter ${delimiterName} (${request.delimiterGiven ? 'as chosen' : 'inferred from the header line'})`,
      decimal.note,
      date.note,
    ],
  };
  return { format: { decimal: decimalCode(decimal.decimal), dateOrder: dateOrder(date.dateFormat) }, reading, warnings };
}
