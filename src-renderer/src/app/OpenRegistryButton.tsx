import { useEffect, useRef, useState } from 'react';
import { bridge, call } from '../api/client';
import { openRegistryPath } from '../state/registry';
import { tryCall, useApp } from '../state/store';
import './open-registry.css';

/** Desktop: the native picker (a folder, its manifest, or a .greenlens archive). */
async function pickAndOpen(): Promise<void> {
  try {
    const { path } = await call('dialog.pick', { kind: 'registry', mode: 'open' });
    if (path) await openRegistryPath(path);
  } catch (error) {
    useApp.getState().showError('Choosing a registry', error);
  }
}

/**
 * Settings arrive after the first paint. A fresh `[]` from the selector would be
 * a new value on every read, which zustand 5 turns into an endless re-render.
 */
const NO_RECENT: readonly string[] = [];

/**
 * Web mode has no native dialog and a browser never learns local paths, so
 * the path is typed (it is a path on the machine running `greenlens serve`).
 */
function PathPopover({ onDone }: { onDone(): void }) {
  const recent = useApp((s) => s.settings?.recentRegistries ?? NO_RECENT);
  const current = useApp((s) => s.info?.registryPath ?? null);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (how: 'open' | 'create', target: string): Promise<void> => {
    setBusy(true);
    const ok =
      how === 'open'
        ? await openRegistryPath(target)
        : (await tryCall('registry.create', { path: target.trim() }, `Creating a registry in ${target}`)) !== null;
    setBusy(false);
    if (ok) onDone();
  };
  return (
    <div className="popover card" role="dialog" aria-label="Open a registry" data-testid="open-registry-popover">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run('open', path);
        }}
      >
        <label className="field">
          Registry folder, its greenlens-registry.json, or a .greenlens archive (a path on this computer)
          <input
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/home/me/registries/site-a"
            autoFocus
            data-testid="registry-path"
          />
        </label>
        <div className="form-actions">
          <button type="submit" className="btn-primary" disabled={busy || !path.trim()}>
            Open
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy || !path.trim()}
            onClick={() => void run('create', path)}
            title="Create an empty registry in a new or empty folder"
          >
            Create new
          </button>
          <button type="button" className="btn" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
      {recent.filter((r) => r !== current).length > 0 && (
        <>
          <div className="muted small popover-title">Recent registries</div>
          <ul className="list">
            {recent
              .filter((r) => r !== current)
              .map((r) => (
                <li key={r}>
                  <button type="button" className="list-item" title={r} disabled={busy} onClick={() => void run('open', r)}>
                    <strong>{r.split(/[\\/]/).filter(Boolean).at(-1)}</strong> <span className="muted small">{r}</span>
                  </button>
                </li>
              ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** The header's Open… button (ARCHITECTURE §8a). Errors become banners. */
export function OpenRegistryButton() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setOpen(false);
    };
    const onDown = (e: MouseEvent): void => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [open]);
  const click = (): void => {
    if (bridge.kind === 'electron') void pickAndOpen();
    else setOpen((o) => !o);
  };
  return (
    <div className="open-registry" ref={ref}>
      <button
        type="button"
        className="btn"
        onClick={click}
        aria-expanded={bridge.kind === 'web' ? open : undefined}
        title="Open another registry"
      >
        Open…
      </button>
      {open && <PathPopover onDone={() => setOpen(false)} />}
    </div>
  );
}
