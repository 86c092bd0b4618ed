import { useEffect, useState } from 'react';
import { bridge } from '../api/client';
import { openRegistryPath } from '../state/registry';
import './open-registry.css';

/** Elements that take their own drops (e.g. the Data tab's CSV upload) opt out with this attribute or class. */
function insideDropzone(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[data-dropzone], .dropzone') !== null;
}

/**
 * Folders and .greenlens archives have no MIME type, CSV files do: only the
 * former are offered to this window-wide drop, so a CSV dragged to the Data
 * tab is left alone.
 */
function looksLikeRegistry(dt: DataTransfer | null): boolean {
  if (!dt) return false;
  return [...dt.items].some((item) => item.kind === 'file' && (item.type === '' || item.type === 'application/json'));
}

/**
 * Drag a registry folder (or its manifest, or a .greenlens archive) onto the
 * window to open it. In the desktop app the preload tells us its path; a
 * browser never does, so web mode explains how to open it instead.
 */
export function RegistryDrop() {
  const [over, setOver] = useState(false);
  const [hint, setHint] = useState<string | null>(null);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent): void => {
      if (!looksLikeRegistry(e.dataTransfer)) return;
      depth++;
      setOver(!insideDropzone(e.target));
    };
    const overHandler = (e: DragEvent): void => {
      if (!looksLikeRegistry(e.dataTransfer) || insideDropzone(e.target) || e.defaultPrevented) return;
      e.preventDefault(); // allows the drop
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (): void => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const drop = (e: DragEvent): void => {
      depth = 0;
      setOver(false);
      if (e.defaultPrevented || insideDropzone(e.target)) return;
      const file = e.dataTransfer?.files[0];
      // Some systems give CSV files no MIME type: those belong to the Data tab's import, never to Open.
      if (!file || !looksLikeRegistry(e.dataTransfer) || /\.(csv|tsv|txt)$/i.test(file.name)) return;
      e.preventDefault();
      if (bridge.kind === 'electron' && bridge.pathOf) {
        void openRegistryPath(bridge.pathOf(file));
      } else {
        setHint(`The browser does not tell GreenLens where “${file.name}” is. Use Open… in the header and type its path on this computer.`);
      }
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  useEffect(() => {
    if (!hint) return;
    const t = setTimeout(() => setHint(null), 8000);
    return () => clearTimeout(t);
  }, [hint]);
  return (
    <>
      {over && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="card drop-card">
            {bridge.kind === 'electron'
              ? 'Drop a registry folder, its greenlens-registry.json or a .greenlens archive to open it'
              : 'Web mode cannot open a dropped folder: use Open… and type its path'}
          </div>
        </div>
      )}
      {hint && (
        <div className="drop-hint card" role="status" data-testid="drop-hint">
          <span>{hint}</span>
          <button type="button" className="btn-small" aria-label="Dismiss" onClick={() => setHint(null)}>
            ✕
          </button>
        </div>
      )}
    </>
  );
}
