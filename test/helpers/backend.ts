import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSettingsStore, memoryKeyValue } from '../../src-main/backend/host/settings-store';
import { WorkerHost } from '../../src-main/backend/host/worker-host';
import { DEFAULT_SETTINGS } from '../../src-main/contract/settings';
import { GreenLensError } from '../../src-main/contract';
import { expect } from 'vitest';

/** A real backend worker running the TypeScript sources through tsx. */
export function startTestWorker(registryPath: string | null = null): WorkerHost {
  return new WorkerHost({
    script: fileURLToPath(new URL('../../src-main/backend/worker-dev.mjs', import.meta.url)),
    scoreWorkerScript: fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url)),
    settings: DEFAULT_SETTINGS,
    registryPath,
    tempDir: tempDir('gl-worker-'),
  });
}

export function tempDir(prefix = 'gl-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function memorySettings() {
  return createSettingsStore(memoryKeyValue());
}

/** Awaits a call that must fail and returns its structured error. */
export async function rejection(p: Promise<unknown>): Promise<GreenLensError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(GreenLensError);
    return error as GreenLensError;
  }
  throw new Error('expected the call to fail');
}
