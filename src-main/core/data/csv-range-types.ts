import type { MissingPolicyName } from '../../contract/shared/data';
import type { CellFormat } from './csv-reading';
import type { InferredColumn } from './schema-infer';

/**
 * A CSV import split across threads (csv-range.ts): the plan sent with each
 * range of rows, and what parsing the range gives back. Both are plain data,
 * so they cross a thread boundary by structured clone (the columns' buffers
 * are transferred).
 */
export interface CsvRangePlan {
  /** How messages name the file. */
  file: string;
  header: string[];
  schema: InferredColumn[];
  format: CellFormat;
  delimiter: string;
  missing: MissingPolicyName;
  ragged: 'error' | 'skip';
  /** Bytes per row in the sample, to size a range's columns once. */
  bytesPerRow: number;
}

export type RangeColumn = { missing: number; invalid: number; firstInvalidLine: number } & (
  { codes: Int32Array; dictionary: string[] } | { values: Float64Array; zoneless: number; epochSeconds: number; epochMillis: number }
);

export interface CsvRangeResult {
  rows: number;
  droppedRows: number;
  raggedRows: number;
  /** Line numbers count from 1 at the range's first line. */
  firstRaggedLine: number;
  /** Physical lines the range held. */
  lines: number;
  /** False when the range ended inside a row (it was cut inside a quoted field): the import must read the file in one pass. */
  complete: boolean;
  /** In the importer's builder order. */
  columns: RangeColumn[];
}
