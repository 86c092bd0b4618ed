/**
 * The contextual detector's work for an extra thread (contextual-parallel.ts):
 * score the buildings of one slice of the input, take part in a shared fit, or measure figures or importance.
 * Runs inside score-worker.ts, which hands every message with a `task` field here.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { buildReferenceProfile, type ReferenceProfile } from '../../core/drift/profile';
import { scoreContextualPart, type DayTyping, type PassArrays } from '../../core/model/contextual/detector';
import type {
  BuildingModel,
  ContextualInput,
  ContextualModel,
  ContextualScores,
  ContextualSettings,
} from '../../core/model/contextual/types';
import { contextualImportance, type ContextualImportance } from '../../core/model/contextual/importance';
import { contextualMetrics, type MetricScores } from './contextual-metrics';
import { fitClaimedSlices } from './contextual-parallel';

/** Slices of buildings laid out by sliceLayout, in shared memory: slice k is places [starts[k], starts[k + 1]); next[0] counts the slices claimed. */
export interface SharedSlices {
  starts: Int32Array;
  next: Int32Array;
}

/** One slice's buildings (fitBuildingPass; its pass is written to the shared pass arrays). */
export interface FittedSlice {
  slice: number;
  buildings: BuildingModel[];
}

/** The figures of a scoring (contextualMetrics' arguments). */
export interface MetricsTask {
  task: 'contextual-metrics';
  scores: MetricScores;
  settings: ContextualSettings;
  labels: Float64Array | null;
  types: { codes: Int32Array; dictionary: string[] } | null;
}

/** Importance over scored evaluation readings (contextualImportance's arguments). */
export interface ImportanceTask {
  task: 'contextual-importance';
  model: ContextualModel;
  input: ContextualInput;
  scores: ContextualScores;
  seed: number;
}

export type ContextualTask =
  | { task: 'contextual-score'; model: ContextualModel; input: ContextualInput }
  | ({
      task: 'contextual-fit';
      settings: ContextualSettings;
      /** Columns of the drift reference profile to build before claiming slices; null = none. */
      reference: Record<string, Float64Array> | null;
      /** Models typing the buildings' days (a refit's: DayTyping); null = each building's own first fit. */
      typing: DayTyping | null;
    } & (({ later: null } & FitSlices) | { later: LaterFit }))
  | ImportanceTask
  | MetricsTask
  /** A holdout's importance, then its figures, in one request (one thread, taken once). */
  | { task: 'contextual-evaluation'; importance: ImportanceTask; metrics: MetricsTask };

/** A shared fit's input and where its slices' results go (contextual-parallel.ts startPreparedPass). */
export interface FitSlices {
  /** In shared memory, laid out as `slices`. */
  input: ContextualInput;
  slices: SharedSlices;
  /** In shared memory, laid out as `slices`: each slice's pass is written at its places. */
  pass: PassArrays;
}

/**
 * A fit whose request went out before its input was laid out (startEarlyPass): the worker builds the reference
 * profile meanwhile, then waits on `ready` (Atomics: 0 until sent) and takes the FitSlices, or null when the
 * caller gave the fit up, from `port`.
 */
export interface LaterFit {
  ready: Int32Array;
  port: MessagePort;
}

/** The FitSlices a LaterFit sends, once they are sent (null: the fit was given up). */
export function awaitLaterFit(later: LaterFit): FitSlices | null {
  Atomics.wait(later.ready, 0, 0);
  const got = receiveMessageOnPort(later.port);
  later.port.close();
  return (got?.message as FitSlices | null | undefined) ?? null;
}

export type PartScores = Omit<ContextualScores, 'warnings'>;

export type ContextualReply =
  | { ok: true; task: 'contextual-score'; scores: PartScores; unseen: string[] }
  | { ok: true; task: 'contextual-fit'; parts: FittedSlice[]; reference: ReferenceProfile | null }
  | { ok: true; task: 'contextual-metrics'; metrics: Record<string, number | null> }
  | { ok: true; task: 'contextual-importance'; importance: ContextualImportance }
  | { ok: true; task: 'contextual-evaluation'; importance: ContextualImportance; metrics: Record<string, number | null> }
  | { ok: false; message: string };

/** Every typed array's buffer in a result, to transfer rather than copy. */
export function partBuffers(s: PartScores): ArrayBuffer[] {
  const arrays = [s.scores, s.flags, s.member, s.feature, s.rule, ...Object.values(s.memberScores), ...s.expected, ...s.z];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

export function runContextualTask(port: MessagePort, request: ContextualTask): void {
  try {
    if (request.task === 'contextual-score') {
      const { scores, unseen } = scoreContextualPart(request.model, request.input);
      const reply: ContextualReply = { ok: true, task: 'contextual-score', scores, unseen };
      port.postMessage(reply, partBuffers(scores));
    } else if (request.task === 'contextual-importance') {
      const importance = contextualImportance(request.model, request.input, request.scores, request.seed);
      const reply: ContextualReply = { ok: true, task: 'contextual-importance', importance };
      port.postMessage(reply);
    } else if (request.task === 'contextual-metrics') {
      const metrics = contextualMetrics(request.scores, request.settings, request.labels, request.types);
      const reply: ContextualReply = { ok: true, task: 'contextual-metrics', metrics };
      port.postMessage(reply);
    } else if (request.task === 'contextual-evaluation') {
      const { importance: i, metrics: m } = request;
      const importance = contextualImportance(i.model, i.input, i.scores, i.seed);
      const metrics = contextualMetrics(m.scores, m.settings, m.labels, m.types);
      const reply: ContextualReply = { ok: true, task: 'contextual-evaluation', importance, metrics };
      port.postMessage(reply);
    } else {
      const reference = request.reference ? buildReferenceProfile(request.reference) : null;
      const fit = request.later ? awaitLaterFit(request.later) : request;
      let done = 0;
      const parts = fit
        ? fitClaimedSlices(fit.input, request.settings, fit.slices, fit.pass, request.typing, (buildings) => {
            done += buildings;
            port.postMessage({ progress: done });
          })
        : [];
      const reply: ContextualReply = { ok: true, task: 'contextual-fit', parts, reference };
      port.postMessage(reply);
    }
  } catch (err) {
    const reply: ContextualReply = { ok: false, message: err instanceof Error ? err.message : String(err) };
    port.postMessage(reply);
  }
}
