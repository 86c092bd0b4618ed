import { CSV_ENCODINGS, type CsvReadingInfo } from '../../../../src-main/contract/shared/data';
import { setReading, type ImportDraft, type ReadingChoice } from '../../state/model';

const DELIMITERS: { value: ReadingChoice['delimiter']; label: string }[] = [
  { value: ',', label: 'Comma ,' },
  { value: ';', label: 'Semicolon ;' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Pipe |' },
];
const DATE_LABELS: Record<Exclude<ReadingChoice['dateFormat'], 'auto'>, string> = {
  iso: 'ISO 2026-11-01',
  'dd/mm/yyyy': 'Day first 01.11.2026',
  'mm/dd/yyyy': 'Month first 11/01/2026',
};

const delimiterName = (d: string): string => DELIMITERS.find((x) => x.value === d)?.label ?? d;

/**
 * How the file is read (encoding, delimiter, decimal separator, date order,
 * bad rows): each select starts at "Auto", naming what was inferred, and the
 * notes say why. The same options as the CLI's --encoding, --delimiter,
 * --decimal, --date-format and --ragged.
 */
export function ReadingOptions({ draft }: { draft: ImportDraft }) {
  const r: CsvReadingInfo = draft.preview.reading;
  const choice = draft.reading;
  return (
    <fieldset className="form-grid" aria-label="Reading options" data-testid="reading-options">
      <legend>How the file is read</legend>
      <label>
        Encoding
        <select value={choice.encoding} onChange={(e) => void setReading({ encoding: e.target.value as ReadingChoice['encoding'] })}>
          {CSV_ENCODINGS.map((e) => (
            <option key={e} value={e}>
              {e === 'auto' ? `Auto (${r.encoding})` : e}
            </option>
          ))}
        </select>
      </label>
      <label>
        Delimiter
        <select value={choice.delimiter} onChange={(e) => void setReading({ delimiter: e.target.value as ReadingChoice['delimiter'] })}>
          <option value="auto">Auto ({delimiterName(r.delimiter)})</option>
          {DELIMITERS.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Decimal separator
        <select value={choice.decimal} onChange={(e) => void setReading({ decimal: e.target.value as ReadingChoice['decimal'] })}>
          <option value="auto">Auto ({r.decimal === ',' ? 'comma 6,3' : 'point 6.3'})</option>
          <option value=".">Point 6.3</option>
          <option value=",">Comma 6,3</option>
        </select>
      </label>
      <label>
        Date format
        <select value={choice.dateFormat} onChange={(e) => void setReading({ dateFormat: e.target.value as ReadingChoice['dateFormat'] })}>
          <option value="auto">Auto ({DATE_LABELS[r.dateFormat]})</option>
          {Object.entries(DATE_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Rows with the wrong number of fields
        <select value={choice.ragged} onChange={(e) => void setReading({ ragged: e.target.value as ReadingChoice['ragged'] })}>
          <option value="error">Stop with an error</option>
          <option value="skip">Skip</option>
        </select>
      </label>
      <ul className="small muted" aria-label="How the file was read" style={{ gridColumn: '1 / -1', margin: 0 }}>
        {r.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </fieldset>
  );
}
