import { useState } from 'react';
import { rollback } from '../../state/registry';
import { Dialog } from './Dialog';

/** Confirms moving an alias back to the version it pointed at before its last change. */
export function RollbackDialog(props: { alias: string; from: string; to: string; open: boolean; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const close = (): void => {
    setReason('');
    props.onClose();
  };
  const submit = async (): Promise<void> => {
    setBusy(true);
    const ok = await rollback(props.alias, reason.trim());
    setBusy(false);
    if (ok) close();
  };
  return (
    <Dialog
      title={`Roll back ${props.alias}`}
      open={props.open}
      onClose={close}
      onSubmit={submit}
      submitLabel={`Roll back to ${props.to}`}
      disabled={busy || !reason.trim()}
      danger
      testId="rollback-dialog"
    >
      <p>
        <strong>{props.alias}</strong> moves from <span className="chip">{props.from}</span> back to{' '}
        <span className="chip">{props.to}</span>. Scoring with the {props.alias} alias uses {props.to} from then on.
      </p>
      <label className="field">
        Reason (kept in the deployment history)
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. too many false alarms since Monday"
          maxLength={500}
          required
          autoFocus
        />
      </label>
    </Dialog>
  );
}
