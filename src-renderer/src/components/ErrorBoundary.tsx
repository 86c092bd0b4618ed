import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What failed, for the panel's title: "The Drift tab", "GreenLens". */
  what: string;
  children: ReactNode;
}

/**
 * Without a boundary React unmounts the whole tree on a render error and the
 * window goes blank. This keeps the header and tabs (or, at the root, a panel
 * that says what happened) so the user can switch away, reload or report it.
 */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // The console is the renderer's log (DevTools in the desktop app, the browser's in web mode).
    console.error(`${this.props.what} failed to draw`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="banner banner-error render-error" role="alert" data-testid="render-error">
        <span aria-hidden="true">✖</span>
        <div>
          <strong>{this.props.what} could not be drawn.</strong> {error.message}
          <div className="small">
            Nothing on disk was changed. Reload the window (Ctrl+R) to try again; if it happens again, the registry or server may be from
            another GreenLens version.
          </div>
        </div>
        <button type="button" className="btn-small" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
