import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>: focus moves in and back, Escape cancels,
 * the page behind is inert. The form submits on Enter.
 */
export function Dialog(props: {
  title: string;
  open: boolean;
  onClose(): void;
  onSubmit(): void | Promise<void>;
  submitLabel: string;
  /** Disables the submit button (while saving, or until the form is complete). */
  disabled?: boolean;
  danger?: boolean;
  children: ReactNode;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    // A dialog may sit inside another form (Settings): its submit must not submit that one too.
    e.stopPropagation();
    void props.onSubmit();
  };
  return (
    <dialog ref={ref} className="gl-dialog card" aria-label={props.title} onClose={props.onClose} data-testid={props.testId}>
      <form onSubmit={submit}>
        <header className="panel-header">
          <h2>{props.title}</h2>
        </header>
        <div className="panel-body dialog-body">{props.children}</div>
        <footer className="dialog-actions">
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className={props.danger ? 'btn btn-danger' : 'btn-primary'} disabled={props.disabled}>
            {props.submitLabel}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
