/**
 * The model artifact: the forest plus the preprocessing its inputs went
 * through, in one file, so a version can never be scored with a different
 * scaling than it was trained with.
 *
 *   { format: 'greenlens-model', formatVersion: 1,
 *     preprocess: { kind: 'none' } | { kind: 'per-id', idColumn, scaler },
 *     forest: <a 'greenlens-iforest' file, see serialize.ts> }
 *
 * Artifacts written before preprocessing existed are a bare
 * 'greenlens-iforest' file; they load as `preprocess: { kind: 'none' }`,
 * which is what they were trained with.
 */
import { applyGroupScaler, scalerToJson, type GroupCodes, type GroupScaler } from './preprocess';
import { loadScaler } from './preprocess-schema';
import { loadModel, MODEL_FORMAT, serializeModel, type SerializedModel } from './serialize';
import type { IForestModel } from './types';
import { type Fail, failWith, isRecord, onlyKeys, parsedJson } from './json-read';

export const ARTIFACT_FORMAT = 'greenlens-model';
export const ARTIFACT_FORMAT_VERSION = 1;

export type Preprocess =
  { kind: 'none' } | { kind: 'per-id'; /** Column whose values name the groups. */ idColumn: string; scaler: GroupScaler };

export interface ModelArtifact {
  preprocess: Preprocess;
  forest: IForestModel;
}

interface SerializedArtifact {
  format: typeof ARTIFACT_FORMAT;
  formatVersion: 1;
  preprocess: Preprocess;
  forest: SerializedModel;
}

export function modelArtifactToJson(artifact: ModelArtifact): string {
  const p = artifact.preprocess;
  const out: SerializedArtifact = {
    format: ARTIFACT_FORMAT,
    formatVersion: 1,
    preprocess: p.kind === 'none' ? { kind: 'none' } : { kind: 'per-id', idColumn: p.idColumn, scaler: scalerToJson(p.scaler) },
    forest: serializeModel(artifact.forest),
  };
  return JSON.stringify(out);
}

const fail: Fail = failWith('invalid model file');

function readPreprocess(v: unknown, forest: IForestModel): Preprocess {
  if (!isRecord(v)) fail('preprocess must be an object');
  if (v.kind === 'none') {
    onlyKeys(v, ['kind'], 'preprocess', fail);
    return { kind: 'none' };
  }
  if (v.kind !== 'per-id') fail(`preprocess.kind ${JSON.stringify(v.kind)} is not known to this GreenLens (expected "none" or "per-id")`);
  onlyKeys(v, ['kind', 'idColumn', 'scaler'], 'preprocess', fail);
  if (typeof v.idColumn !== 'string' || v.idColumn.length === 0) fail('preprocess.idColumn must be a non-empty string');
  if (forest.features.includes(v.idColumn)) fail(`preprocess.idColumn "${v.idColumn}" is also a feature`);
  let scaler: GroupScaler;
  try {
    scaler = loadScaler(v.scaler);
  } catch (error) {
    fail(`preprocess.scaler: ${(error as Error).message}`);
  }
  const same = scaler.features.length === forest.features.length && scaler.features.every((f, i) => f === forest.features[i]);
  if (!same) fail(`the scaler's features (${scaler.features.join(', ')}) are not the forest's (${forest.features.join(', ')})`);
  return { kind: 'per-id', idColumn: v.idColumn, scaler };
}

/**
 * Parses (if given text) and strictly validates a model artifact, current or
 * pre-preprocessing. Throws an Error naming the problem.
 */
export function loadModelArtifact(json: unknown): ModelArtifact {
  const v = parsedJson(json, fail);
  if (!isRecord(v)) fail('expected a JSON object');
  if (v.format === MODEL_FORMAT) return { preprocess: { kind: 'none' }, forest: loadModel(v) };
  if (v.format !== ARTIFACT_FORMAT) fail(`format is ${JSON.stringify(v.format)}, expected "${ARTIFACT_FORMAT}" (or "${MODEL_FORMAT}")`);
  const version = v.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    fail(`formatVersion must be an integer >= 1, got ${JSON.stringify(version)}`);
  if (version > ARTIFACT_FORMAT_VERSION) {
    throw new Error(
      `model formatVersion ${version} is newer than this GreenLens supports (${ARTIFACT_FORMAT_VERSION}); update GreenLens to open it`,
    );
  }
  onlyKeys(v, ['format', 'formatVersion', 'preprocess', 'forest'], 'the model file', fail);
  if (!isRecord(v.forest)) fail('forest must be an object');
  const forest = loadModel(v.forest);
  return { preprocess: readPreprocess(v.preprocess, forest), forest };
}

/**
 * The columns the forest sees. `groups` are the rows' ids for 'per-id'
 * (null = every row gets the global stats; the caller decides whether that
 * is acceptable). 'none' returns the columns themselves.
 */
export function applyPreprocess(p: Preprocess, columns: Float64Array[], groups: GroupCodes | null): Float64Array[] {
  return p.kind === 'none' ? columns : applyGroupScaler(p.scaler, columns, groups);
}
