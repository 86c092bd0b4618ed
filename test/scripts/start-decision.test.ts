import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearMarker, electronFingerprint, readMarker, startDecision, writeMarker } from '../../scripts/electron-download-memo.mjs';

const fp = electronFingerprint({ electronVersion: '45.5.0', lockFile: '{"lockfileVersion":3}', nodeVersion: '20.19.0' });
const base = { binary: false, installScript: true, forceWeb: false, noDownload: false, marker: null, fingerprint: fp };

describe('npm start: whether to download Electron', () => {
  it('tries the download once when no failure is remembered', () => {
    expect(startDecision(base)).toEqual({ action: 'download', why: '', clearMarker: false });
  });

  it('goes straight to web mode when the same install already failed', () => {
    const d = startDecision({ ...base, marker: { fingerprint: fp, reason: 'download failed: ETIMEDOUT' } });
    expect(d.action).toBe('web');
    expect(d.why).toBe(
      'the Electron download failed before (download failed: ETIMEDOUT); not retrying until npm install or the Node version changes',
    );
    expect(d.clearMarker).toBe(false);
  });

  it('tries again (and forgets the failure) after npm install changed the lock file, electron or Node', () => {
    const changed = [
      electronFingerprint({ electronVersion: '45.5.0', lockFile: '{"lockfileVersion":3,"x":1}', nodeVersion: '20.19.0' }),
      electronFingerprint({ electronVersion: '45.6.0', lockFile: '{"lockfileVersion":3}', nodeVersion: '20.19.0' }),
      electronFingerprint({ electronVersion: '45.5.0', lockFile: '{"lockfileVersion":3}', nodeVersion: '22.12.0' }),
    ];
    for (const fingerprint of changed) {
      expect(fingerprint).not.toBe(fp);
      expect(startDecision({ ...base, fingerprint, marker: { fingerprint: fp, reason: 'x' } })).toEqual({
        action: 'download',
        why: '',
        clearMarker: true,
      });
    }
  });

  it('runs Electron when its binary exists, and forgets an old failure', () => {
    expect(startDecision({ ...base, binary: true, marker: { fingerprint: fp, reason: 'x' } })).toEqual({
      action: 'electron',
      why: '',
      clearMarker: true,
    });
  });

  it('honours GREENLENS_WEB and GREENLENS_NO_ELECTRON_DOWNLOAD without downloading', () => {
    expect(startDecision({ ...base, binary: true, forceWeb: true }).action).toBe('web');
    expect(startDecision({ ...base, forceWeb: true }).action).toBe('web');
    expect(startDecision({ ...base, noDownload: true })).toEqual({
      action: 'web',
      why: 'GREENLENS_NO_ELECTRON_DOWNLOAD is set',
      clearMarker: false,
    });
  });

  it('without the electron package there is nothing to download', () => {
    expect(startDecision({ ...base, installScript: false }).why).toBe('the electron package is not installed (run npm install)');
  });
});

describe('the failure marker file', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('round-trips, reads a damaged marker as none, and is cleared', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gl-marker-'));
    dirs.push(dir);
    const file = join(dir, 'sub', 'electron-download-failed.json');
    expect(readMarker(file)).toBeNull();
    writeMarker(fp, 'download failed: 403', file);
    expect(readMarker(file)).toEqual({ fingerprint: fp, reason: 'download failed: 403' });
    writeFileSync(file, '{not json');
    expect(readMarker(file)).toBeNull();
    clearMarker(file);
    expect(readMarker(file)).toBeNull();
  });
});
