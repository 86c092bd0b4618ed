import { useState } from 'react';
import { FAULT_TYPES, type FaultType } from '../../../../src-main/contract/shared/alerts';
import { markReadings } from '../../state/feedback';
import '../alerts/alerts.css';

/** Marks the selected flagged readings as confirmed faults (with a type) or false alarms. */
export function FeedbackBar(props: {
  model: string;
  selected: { version: string; building: string | null; dataTime: number }[];
  onDone: () => void;
}) {
  const [type, setType] = useState<FaultType>('hvac_fault');
  const n = props.selected.length;
  const mark = (verdict: 'fault' | 'false_alarm'): void => {
    void markReadings(props.model, props.selected, verdict, type).then((ok) => ok && props.onDone());
  };
  return (
    <div className="feedback-bar" data-testid="feedback-bar">
      <span className="small">{n === 0 ? 'Select flagged readings to give feedback.' : `${n} selected:`}</span>
      <select aria-label="Fault type" value={type} onChange={(e) => setType(e.target.value as FaultType)}>
        {FAULT_TYPES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <button type="button" className="btn-small" disabled={n === 0} onClick={() => mark('fault')}>
        Confirm fault
      </button>
      <button type="button" className="btn-small" disabled={n === 0} onClick={() => mark('false_alarm')}>
        False alarm
      </button>
    </div>
  );
}
