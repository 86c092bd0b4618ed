/** The Train form's `includeFeedback` (README "Feedback on flags"): verdicts as labels; for the contextual detector, confirmed faults kept out of the baseline. */
export function IncludeFeedbackField({
  checked,
  contextual,
  onChange,
}: {
  checked: boolean;
  contextual: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <div style={{ gridColumn: '1 / -1' }}>
      <label style={{ flexDirection: 'row', alignItems: 'center', gap: 6 }}>
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        Include feedback on flags
      </label>
      <p className="muted small" style={{ margin: '2px 0 0' }}>
        Readings marked as confirmed faults or false alarms count as labels
        {contextual ? '; confirmed faults are left out of the baseline fit, false alarms stay in it as ordinary readings.' : '.'}
      </p>
    </div>
  );
}
