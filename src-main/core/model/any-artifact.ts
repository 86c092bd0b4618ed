/**
 * Any model file a version may hold, dispatched on its `kind`: files without
 * one (every file written before the contextual detector) are Isolation
 * Forest artifacts and load exactly as before.
 */
import { loadModelArtifact, type ModelArtifact } from './artifact';
import { loadContextualArtifact, type ContextualArtifact } from './contextual/serialize';
import { failWith, isRecord, parsedJson } from './json-read';

export type AnyArtifact = ({ kind: 'isolation-forest' } & ModelArtifact) | ContextualArtifact;

export function loadAnyArtifact(json: unknown): AnyArtifact {
  const v = parsedJson(json, failWith('invalid model file'));
  if (isRecord(v) && v.kind === 'contextual') return loadContextualArtifact(v);
  if (isRecord(v) && v.kind !== undefined) {
    throw new Error(`invalid model file: kind ${JSON.stringify(v.kind)} is not known to this GreenLens (expected "contextual" or none)`);
  }
  return { kind: 'isolation-forest', ...loadModelArtifact(v) };
}
