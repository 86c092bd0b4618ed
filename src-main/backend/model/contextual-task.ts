/**
 * The contextual detector's work for an extra thread (contextual-parallel.ts):
 * fit or score the buildings of one slice of the input. Runs inside
 * score-worker.ts, which hands every message with a `task` field here.
 */
import type { MessagePort } from 'node:worker_threads';
import { fitBuildingModels, scoreContextualPart } from '../../core/model/contextual/detector';
import type {
  BuildingModel,
  ContextualInput,
  ContextualModel,
  ContextualScores,
  ContextualSettings,
} from '../../core/model/contextual/types';

export type ContextualTask =
  | { task: 'contextual-score'; model: ContextualModel; input: ContextualInput }
  | { task: 'contextual-fit'; settings: ContextualSettings; input: ContextualInput };

export type PartScores = Omit<ContextualScores, 'warnings'>;

export type ContextualReply =
  | { ok: true; task: 'contextual-score'; scores: PartScores; unseen: string[] }
  | { ok: true; task: 'contextual-fit'; buildings: BuildingModel[] }
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
    } else {
      const reply: ContextualReply = { ok: true, task: 'contextual-fit', buildings: fitBuildingModels(request.input, request.settings) };
      port.postMessage(reply);
    }
  } catch (err) {
    const reply: ContextualReply = { ok: false, message: err instanceof Error ? err.message : String(err) };
    port.postMessage(reply);
  }
}
