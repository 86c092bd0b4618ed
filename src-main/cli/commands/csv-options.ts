import { CsvReadOptionsSchema } from '../../contract/ops/data';
import type { CsvReadingInfo, ImportReportInfo } from '../../contract/ops/data';
import { UsageError } from '../args';
import { flagValue } from '../schema-args';
import type { CliIo } from '../io';

/** The CSV reading flags shared by train, score and drift: same names, same meaning as the import review's controls. */
export const csvFlags = {
  delimiter: { type: 'string' },
  encoding: { type: 'string' },
  decimal: { type: 'string' },
  'date-format': { type: 'string' },
  ragged: { type: 'string' },
  missing: { type: 'string' },
} as const;

export const csvFlagsHelp = `  Reading the CSV (each inferred when not given; what was used is printed on stderr, or under "import" with --json):
    --delimiter ';'             one character: , ; | or a tab (default: detected from the header)
    --encoding auto|utf-8|utf-16le|utf-16be|windows-1252|latin1   (auto: BOM, valid UTF-8, else windows-1252)
    --decimal auto|.|,          decimal separator; thousands separators (3,389.9 / 3.389,9) are read either way
    --date-format auto|iso|dd/mm/yyyy|mm/dd/yyyy   day/month order; . / - all work between the fields
    --ragged error|skip         rows with the wrong number of fields: stop with an error (default) or skip them
    --missing drop|impute-median|impute-zero   rows with a missing feature value (default drop)`;

type CsvFlagValues = Partial<Record<keyof typeof csvFlags, string | boolean | undefined>>;

const reading = CsvReadOptionsSchema.shape;

/** The import options named by the flags, checked against the contract's choices (defaults from there too). */
export function csvReadArgs(values: CsvFlagValues) {
  const text = (name: keyof typeof csvFlags): string | undefined => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  let delimiter = text('delimiter');
  if (delimiter === '\\t' || delimiter === 'tab') delimiter = '\t';
  if (delimiter !== undefined && !/^[\x20-\x7e\t]$/.test(delimiter)) {
    throw new UsageError(`--delimiter must be one character (e.g. ";" or "tab"), got "${delimiter}".`);
  }
  return {
    ...(delimiter !== undefined ? { delimiter } : {}),
    encoding: flagValue(reading.encoding, 'encoding', text('encoding')),
    decimal: flagValue(reading.decimal, 'decimal', text('decimal')),
    dateFormat: flagValue(reading.dateFormat, 'date-format', text('date-format')),
    ragged: flagValue(reading.ragged, 'ragged', text('ragged')),
    missing: flagValue(reading.missing, 'missing', text('missing')),
  };
}

/** What the import did, for --json: how the file was read and what was dropped. */
export function importJson(report: ImportReportInfo | undefined): Record<string, unknown> | undefined {
  if (!report) return undefined;
  return {
    reading: report.reading,
    rows: report.rows,
    droppedRows: report.droppedRows,
    raggedRows: report.raggedRows,
    imputed: report.imputed,
    droppedColumns: report.droppedColumns,
    warnings: report.warnings,
  };
}

/** Tells on stderr how a CSV was read (stdout stays the command's result). */
export function noteReading(io: CliIo, file: string, reading: CsvReadingInfo | undefined, warnings: readonly string[] = []): void {
  if (!reading) return;
  io.note(`Read ${file}: ${reading.notes.join('; ')}.`);
  for (const w of warnings) io.note(`Warning: ${w}`);
}
