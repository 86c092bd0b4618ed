import { useState } from 'react';
import { bridge, call } from '../../api/client';
import { fmtBytes } from '../../components/format';
import { Panel } from '../../components/Panel';
import { exportRegistry, importRegistry, useRegistry, verifyRegistry } from '../../state/registry';
import { useApp } from '../../state/store';

type PathForm = { kind: 'export' | 'import'; value: string } | null;

/** Native save/open dialog in the desktop app; null when cancelled or when there is none (web mode). */
async function pickArchive(mode: 'save' | 'open', defaultName?: string): Promise<string | null> {
  try {
    return (await call('dialog.pick', { kind: 'archive', mode, ...(defaultName ? { defaultName } : {}) })).path;
  } catch (error) {
    useApp.getState().showError(mode === 'save' ? 'Choosing where to export' : 'Choosing an archive', error);
    return null;
  }
}

function VerifyReport() {
  const verify = useRegistry((s) => s.verify);
  if (!verify) return null;
  const { models, versions, files } = verify.checked;
  const errors = verify.problems.filter((p) => p.severity === 'error').length;
  return (
    <div className={`verify ${verify.ok ? 'verify-ok' : 'verify-bad'}`} role="status" data-testid="verify-result">
      <strong>{verify.ok ? '✔ Registry verified' : `✖ ${errors} problem${errors === 1 ? '' : 's'} found`}</strong>{' '}
      <span className="muted small">
        {models} model(s), {versions} version(s), {files} file(s) checked
      </span>
      {verify.problems.length > 0 && (
        <ul className="problems">
          {verify.problems.map((p, i) => (
            <li key={i}>
              <span className={p.severity === 'error' ? 'delta-worse' : 'muted'}>{p.severity === 'error' ? '✖ error' : '▲ warning'}</span>{' '}
              <code>{p.file}</code>: {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The open registry as a whole: verify every checksum, export it as one
 * .greenlens file, import one. Web mode has no native dialog, so a path on
 * the host is typed instead.
 */
export function RegistryPanel() {
  const info = useApp((s) => s.info);
  const lastExport = useRegistry((s) => s.lastExport);
  const [form, setForm] = useState<PathForm>(null);
  const path = info?.registryPath ?? '';
  const name = path.split(/[\\/]/).filter(Boolean).at(-1) ?? 'registry';
  const web = bridge.kind === 'web';

  const startExport = async (): Promise<void> => {
    if (web) return setForm({ kind: 'export', value: `${path.replace(/[\\/]+$/, '')}.greenlens` });
    const target = await pickArchive('save', `${name}.greenlens`);
    if (target) await exportRegistry(target);
  };
  const startImport = async (): Promise<void> => {
    if (web) return setForm({ kind: 'import', value: '' });
    const archive = await pickArchive('open');
    if (archive) await importRegistry(archive);
  };
  const submitForm = async (): Promise<void> => {
    if (!form || !form.value.trim()) return;
    const value = form.value.trim();
    setForm(null);
    if (form.kind === 'export') await exportRegistry(value);
    else await importRegistry(value);
  };

  return (
    <Panel
      title="Registry"
      testId="registry-panel"
      actions={
        <>
          <button type="button" className="btn" onClick={() => void verifyRegistry()}>
            Verify registry
          </button>
          <button type="button" className="btn" onClick={() => void startExport()}>
            Export…
          </button>
          <button type="button" className="btn" onClick={() => void startImport()}>
            Import…
          </button>
        </>
      }
    >
      <p className="small">
        <strong>{name}</strong> <span className="muted">{path}</span>
      </p>
      <p className="muted small">
        A registry is a folder you can copy, or share as one <code>.greenlens</code> file: Export writes it, Import unpacks one beside
        itself, checks every file and opens it.
      </p>
      {form && (
        <form
          className="path-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submitForm();
          }}
        >
          <label className="field">
            {form.kind === 'export' ? 'Write the archive to (a path on this computer)' : 'Archive to import (a path on this computer)'}
            <input
              value={form.value}
              onChange={(e) => setForm({ ...form, value: e.target.value })}
              placeholder="/path/to/registry.greenlens"
              autoFocus
              data-testid="archive-path"
            />
          </label>
          <div className="form-actions">
            <button type="submit" className="btn-primary" disabled={!form.value.trim()}>
              {form.kind === 'export' ? 'Export' : 'Import and open'}
            </button>
            <button type="button" className="btn" onClick={() => setForm(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {lastExport && (
        <p className="small" role="status" data-testid="export-result">
          ✔ Exported {lastExport.files} files to <code>{lastExport.archive}</code> ({fmtBytes(lastExport.bytes)}).
        </p>
      )}
      <VerifyReport />
    </Panel>
  );
}
