import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../contract';
import { dispatch } from './dispatch';
import { createFileLogger } from './host/file-logger';
import { createJobContext } from './job';
import { AppAutomation, attachAutomation } from './loop/app-watch';
import { closePredictionLog } from './prediction-sink';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';
import { createState } from './state';

/**
 * The backend worker: owns the open registry and runs every job. Cancellation
 * arrives two ways: a message (aborts async work) and a shared-memory flag
 * (seen by synchronous loops that never yield to the event loop).
 */
const port = parentPort;
if (!port) throw new Error('The backend worker must run in a worker thread.');
const init = workerData as WorkerInit;
const flags = new Int32Array(init.cancelFlags);
const state = createState({
  settings: init.settings,
  registryPath: init.registryPath,
  tempDir: init.tempDir,
  scoreWorkerScript: init.scoreWorkerScript,
  logger: createFileLogger({ dir: init.logDir ?? null }),
});
const running = new Map<number, AbortController>();

const send = (msg: FromWorker): void => port.postMessage(msg);

// The policy's watched folders and schedules run here while a registry is open (backend/loop/app-watch.ts).
const automation = new AppAutomation(state, { emit: (event) => send({ type: 'event', event }), throttleMs: init.progressThrottleMs });
attachAutomation(state, automation);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  if (msg.type === 'settings') {
    state.settings = msg.settings;
    void automation.sync();
    return;
  }
  if (msg.type === 'shutdown') {
    // The watcher first: a pass it finishes may still log. Then the log's write handles.
    void automation
      .close()
      .then(() => closePredictionLog(state))
      .catch((error: unknown) =>
        state.logger.warn('Shutting the backend down did not finish cleanly.', { error: (error as Error).message }),
      )
      .finally(() => send({ type: 'stopped' }));
    return;
  }
  const controller = new AbortController();
  running.set(msg.id, controller);
  const ctx = createJobContext({
    jobId: msg.jobId,
    op: msg.op,
    signal: controller.signal,
    isCancelled: () => Atomics.load(flags, msg.cancelSlot) !== 0,
    throttleMs: init.progressThrottleMs,
    onProgress: (phase, done, total) => send({ type: 'progress', id: msg.id, jobId: msg.jobId, op: msg.op, phase, done, total }),
    onEvent: (event) => {
      if (event.type === 'registry') state.registryPath = event.path;
      send({ type: 'event', event });
      // Another registry, or a policy saved from the app: the watcher follows.
      if (event.type === 'registry' || (event.type === 'changed' && event.topic === 'policy')) void automation.sync();
    },
  });
  // Defer one turn so a cancel sent right after the call is seen before work starts.
  setImmediate(() => {
    dispatch(msg.op, msg.input, ctx, state)
      .then((value) => send({ type: 'result', id: msg.id, envelope: { ok: true, value } }))
      .catch((error: unknown) => send({ type: 'result', id: msg.id, envelope: { ok: false, error: toErrorInfo(error) } }))
      .finally(() => running.delete(msg.id));
  });
});

send({ type: 'ready' });
void automation.sync();
