import { useEffect, useState } from 'react';
import { DEFAULT_ALIAS } from '../../../../src-main/contract/shared/registry';
import { promote } from '../../state/registry';
import { Dialog } from './Dialog';

/** Points an alias (production by default) at a version; the reason goes into the deployment history. */
export function PromoteDialog(props: {
  version: string;
  current: Record<string, string>;
  open: boolean;
  onClose(): void;
  /** A reason to start from (an A/B result cites its run). */
  initialReason?: string;
}) {
  const [alias, setAlias] = useState(DEFAULT_ALIAS);
  const [reason, setReason] = useState(props.initialReason ?? '');
  useEffect(() => {
    if (props.open && props.initialReason) setReason(props.initialReason);
  }, [props.open, props.initialReason]);
  const [busy, setBusy] = useState(false);
  const from = props.current[alias.trim()];
  const close = (): void => {
    setReason('');
    props.onClose();
  };
  const submit = async (): Promise<void> => {
    setBusy(true);
    const ok = await promote(props.version, alias.trim(), reason.trim());
    setBusy(false);
    if (ok) close();
  };
  return (
    <Dialog
      title={`Promote ${props.version}`}
      open={props.open}
      onClose={close}
      onSubmit={submit}
      submitLabel="Promote"
      disabled={busy || !reason.trim() || !alias.trim()}
      testId="promote-dialog"
    >
      <label className="field">
        Alias
        <input
          value={alias}
          onChange={(e) => setAlias(e.target.value)}
          list="known-aliases"
          required
          pattern="[a-z0-9][a-z0-9._\-]{0,63}"
        />
        <datalist id="known-aliases">
          {[...new Set([DEFAULT_ALIAS, 'staging', ...Object.keys(props.current)])].map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <p className="muted small">
        {from
          ? from === props.version
            ? `${alias} already points at ${props.version}.`
            : `${alias} moves from ${from} to ${props.version}.`
          : `${alias} is new: it will point at ${props.version}.`}
      </p>
      <label className="field">
        Reason (kept in the deployment history)
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. better F1 on the last 3 weeks"
          maxLength={500}
          required
          autoFocus
        />
      </label>
    </Dialog>
  );
}
