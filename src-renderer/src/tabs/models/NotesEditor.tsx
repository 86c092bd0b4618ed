import { useEffect, useState } from 'react';
import type { VersionMeta } from '../../../../src-main/contract/ops/registry';
import { saveVersionNotes } from '../../state/registry';

function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

/** Tags and description: the only things that change after a version is written. */
export function NotesEditor({ version }: { version: VersionMeta }) {
  const [tags, setTags] = useState(version.tags.join(', '));
  const [description, setDescription] = useState(version.description);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  // A different version, or the same one changed elsewhere (CLI, another window): show what is stored.
  useEffect(() => {
    setTags(version.tags.join(', '));
    setDescription(version.description);
  }, [version.model, version.version, version.tags.join('\u0000'), version.description]);
  const edit = (set: (v: string) => void, value: string): void => {
    set(value);
    setSaved(false);
  };
  const dirty = parseTags(tags).join('\u0000') !== version.tags.join('\u0000') || description !== version.description;
  const save = async (): Promise<void> => {
    setBusy(true);
    setSaved(false);
    const ok = await saveVersionNotes(version, parseTags(tags), description);
    setBusy(false);
    setSaved(ok);
  };
  return (
    <form
      className="notes"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label className="field">
        Tags (comma-separated)
        <input value={tags} onChange={(e) => edit(setTags, e.target.value)} placeholder="e.g. winter, candidate" data-testid="tags-input" />
      </label>
      <label className="field">
        Description
        <textarea
          value={description}
          onChange={(e) => edit(setDescription, e.target.value)}
          rows={3}
          maxLength={5000}
          data-testid="description-input"
        />
      </label>
      <div className="form-actions">
        <button type="submit" className="btn" disabled={!dirty || busy}>
          Save tags and description
        </button>
        {saved && !dirty && (
          <span className="muted small" role="status">
            ✔ Saved
          </span>
        )}
      </div>
    </form>
  );
}
