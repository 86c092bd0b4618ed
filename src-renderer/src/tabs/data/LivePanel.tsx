import { useEffect, useState, type FormEvent } from 'react';
import type { DatasetInfo } from '../../../../src-main/contract/ops/data';
import { call } from '../../api/client';
import { fmtInt, fmtNum } from '../../components/format';
import { liveSourceText } from '../../components/LiveCard';
import { Panel } from '../../components/Panel';
import { refreshLive, setLiveStatus, useLive } from '../../state/live';
import { useApp } from '../../state/store';

type Kind = 'mqtt' | 'replay';
const RUNNING = new Set(['connecting', 'connected', 'reconnecting', 'replaying']);

/**
 * The app's live source: an MQTT broker (as `greenlens stream`) or a dataset
 * replayed at N× real time. It runs in the backend worker; readings are
 * scored with the deployed version and logged, and Overview and Performance
 * follow them.
 */
export function LivePanel({ datasets, current }: { datasets: DatasetInfo[]; current: DatasetInfo | null }) {
  const status = useLive((s) => s.status);
  const [kind, setKind] = useState<Kind>('replay');
  const [url, setUrl] = useState('mqtt://127.0.0.1:1883');
  const [topic, setTopic] = useState('site/+/readings');
  const [idLevel, setIdLevel] = useState('1');
  const [resultsTopic, setResultsTopic] = useState('');
  const [username, setUsername] = useState('');
  const [passwordFile, setPasswordFile] = useState('');
  const [ca, setCa] = useState('');
  const [datasetId, setDatasetId] = useState('');
  const [speed, setSpeed] = useState(3600);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void refreshLive();
  }, []);
  const replayId = datasetId || current?.id || '';
  const running = status !== null && RUNNING.has(status.state);

  const start = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    try {
      const level = idLevel.trim() === '' ? undefined : Number(idLevel);
      setLiveStatus(
        await call(
          'live.start',
          kind === 'replay'
            ? { kind, datasetId: replayId, speed }
            : {
                kind,
                url,
                topic,
                ...(level !== undefined ? { idLevel: level } : {}),
                ...(resultsTopic ? { resultsTopic } : {}),
                ...(username ? { username } : {}),
                ...(passwordFile ? { passwordFile } : {}),
                ...(ca ? { ca } : {}),
              },
        ),
      );
      useApp.getState().clearErrors('Starting the live source');
    } catch (error) {
      useApp.getState().showError('Starting the live source', error);
    } finally {
      setBusy(false);
    }
  };
  const stop = async (): Promise<void> => {
    setBusy(true);
    try {
      setLiveStatus(await call('live.stop', {}));
    } catch (error) {
      useApp.getState().showError('Stopping the live source', error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title="Live source" testId="live-panel">
      <form className="form-grid" onSubmit={start} aria-label="Live source">
        <label>
          Source
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} disabled={running}>
            <option value="replay">Replay a dataset</option>
            <option value="mqtt">MQTT broker</option>
          </select>
        </label>
        {kind === 'replay' ? (
          <>
            <label>
              Dataset to replay
              <select value={replayId} onChange={(e) => setDatasetId(e.target.value)} disabled={running} required>
                {datasets.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Speed (× real time)
              <input type="number" min={0} step="any" value={speed} onChange={(e) => setSpeed(e.target.valueAsNumber)} required />
            </label>
          </>
        ) : (
          <>
            <label>
              Broker URL
              <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="mqtt://HOST:1883" required />
            </label>
            <label>
              Topic
              <input value={topic} onChange={(e) => setTopic(e.target.value)} required />
            </label>
            <label>
              Building id topic level
              <input type="number" min={0} max={100} value={idLevel} onChange={(e) => setIdLevel(e.target.value)} placeholder="none" />
            </label>
            <label>
              Results topic
              <input value={resultsTopic} onChange={(e) => setResultsTopic(e.target.value)} placeholder="optional" />
            </label>
            <label>
              Username
              <input value={username} onChange={(e) => setUsername(e.target.value)} placeholder="optional" autoComplete="off" />
            </label>
            <label>
              Password file
              <input value={passwordFile} onChange={(e) => setPasswordFile(e.target.value)} placeholder="absolute path, optional" />
            </label>
            <label>
              CA certificate file
              <input value={ca} onChange={(e) => setCa(e.target.value)} placeholder="for mqtts://, optional" />
            </label>
          </>
        )}
        <div className="form-actions">
          <button type="submit" className="btn-primary" disabled={busy || (kind === 'replay' && !replayId)}>
            {running ? 'Restart live source' : 'Start live source'}
          </button>
          <button type="button" onClick={stop} disabled={busy || !running}>
            Stop
          </button>
        </div>
      </form>
      {status && status.source && (
        <p className="small" data-testid="live-status" aria-live="polite">
          <strong data-testid="live-state">{status.state}</strong> · {liveSourceText(status)} · {fmtInt(status.scored)} scored ·{' '}
          {fmtNum(status.readingsPerSecond, 1)} readings/s · <span data-testid="live-status-malformed">{fmtInt(status.malformed)}</span>{' '}
          malformed
          {status.message ? ` · ${status.message}` : ''}
        </p>
      )}
    </Panel>
  );
}
