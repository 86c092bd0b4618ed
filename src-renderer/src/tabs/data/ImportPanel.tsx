import { useRef, useState, type DragEvent } from 'react';
import { bridge } from '../../api/client';
import { Panel } from '../../components/Panel';
import { openFile, pickCsv } from '../../state/model';

/**
 * Choose a CSV: the native dialog in the desktop app, a file input (uploaded
 * to the local server) in web mode, or a drop onto the zone in either.
 */
export function ImportPanel() {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const choose = (): void => {
    if (bridge.kind === 'electron') void pickCsv();
    else input.current?.click();
  };
  const drop = (e: DragEvent): void => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void openFile(file);
  };
  return (
    <Panel title="Import CSV" testId="import-panel">
      <div
        className={`dropzone ${over ? 'over' : ''}`}
        data-testid="csv-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <p>Drop a CSV file here, or</p>
        <button type="button" className="btn" onClick={choose}>
          Choose CSV file…
        </button>
        <input
          ref={input}
          type="file"
          accept=".csv,.tsv,.txt,text/csv,.parquet,.parq"
          aria-label="CSV file to import"
          className="sr-only"
          tabIndex={-1}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = ''; // picking the same file again should still fire
            if (file) void openFile(file);
          }}
        />
        <p className="muted small">
          Any file with a header and at least one numeric column. You can set each column&apos;s role (feature, timestamp, id, label) before
          importing.
        </p>
      </div>
    </Panel>
  );
}
