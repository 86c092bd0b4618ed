import { useApp } from '../state/store';

/** Errors say what happened, where (file, line, field) and what to do. */
export function ErrorBanners() {
  const banners = useApp((s) => s.banners);
  const dismiss = useApp((s) => s.dismiss);
  if (!banners.length) return null;
  return (
    <div className="banners">
      {banners.map((b) => (
        <div key={b.id} className="banner banner-error" role="alert">
          <span aria-hidden="true">✖</span>
          <div>
            <strong>{b.context} failed.</strong> {b.message}
            {(b.file || b.line !== undefined || b.field) && (
              <div className="muted small">
                {[
                  b.file && `file ${b.file}`,
                  b.line !== undefined && `line ${b.line}`,
                  b.column && `column ${b.column}`,
                  b.field && `field ${b.field}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </div>
            )}
            {b.hint && <div className="small">{b.hint}</div>}
          </div>
          <button type="button" className="btn-small" aria-label="Dismiss" onClick={() => dismiss(b.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
