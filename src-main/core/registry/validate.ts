import { GreenLensError } from '../../contract/shared/errors';
import { isJsonText } from './json-check';
import { assertName, assertVersion } from './names';
import { describeIssue, lineageSchema, trainingDataSchema } from './schema';
import type { Lineage } from '../../contract/shared/loop';
import type { RegisterInput, TrainingDataSummary } from './types';

/** Checks a registration before anything touches the disk; every error names its field. */

export interface CheckedRegistration {
  model: string;
  version: string | undefined;
  params: Record<string, unknown>;
  metrics: Record<string, number | null>;
  trainingData: TrainingDataSummary;
  tags: string[];
  description: string;
  artifact: Buffer;
  reference: Buffer;
  lineage: Lineage | undefined;
}

const MAX_DESCRIPTION = 10_000;

function invalid(field: string, message: string): GreenLensError {
  return new GreenLensError('invalid_input', `${field}: ${message}`, { field });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkRegistration(input: RegisterInput): CheckedRegistration {
  const model = assertName(input.model, 'model');
  const version = input.version === undefined ? undefined : assertVersion(input.version, 'version');

  if (!isPlainObject(input.params)) throw invalid('params', 'must be an object of parameter values');
  const params = JSON.parse(toJsonText(input.params, 'params')) as Record<string, unknown>;

  if (!isPlainObject(input.metrics)) throw invalid('metrics', 'must be an object of metric name → number');
  const metrics: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(input.metrics)) {
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw invalid(`metrics.${name}`, `must be a finite number or null, got ${String(value)}`);
    }
    metrics[name] = value;
  }

  const td = trainingDataSchema.safeParse(input.trainingData);
  if (!td.success) {
    const issue = describeIssue(td.error);
    throw invalid(`trainingData${issue.field ? `.${issue.field}` : ''}`, td.error.issues[0]?.message ?? 'invalid');
  }

  return {
    model,
    version,
    params,
    metrics,
    trainingData: td.data,
    tags: checkTags(input.tags ?? []),
    description: checkDescription(input.description ?? ''),
    artifact: checkArtifact(input.artifact),
    reference: checkReference(input.reference),
    lineage: checkLineage(input.lineage),
  };
}

function checkLineage(lineage: unknown): Lineage | undefined {
  if (lineage === undefined) return undefined;
  const parsed = lineageSchema.safeParse(lineage);
  if (!parsed.success) throw invalid(`lineage.${describeIssue(parsed.error).field}`, parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}

export function checkTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) throw invalid('tags', 'must be a list of strings');
  const out: string[] = [];
  tags.forEach((tag, i) => {
    if (typeof tag !== 'string' || tag.trim() === '' || tag.length > 64 || /[\r\n]/.test(tag)) {
      throw invalid(`tags.${i}`, 'each tag must be 1–64 characters on one line');
    }
    if (!out.includes(tag.trim())) out.push(tag.trim());
  });
  return out;
}

export function checkDescription(description: unknown): string {
  if (typeof description !== 'string') throw invalid('description', 'must be text');
  if (description.length > MAX_DESCRIPTION) throw invalid('description', `must be at most ${MAX_DESCRIPTION} characters`);
  return description;
}

/**
 * The artifact is stored byte for byte, but it must be JSON: the registry
 * never holds code or pickles. A syntax scan (json-check.ts) proves it
 * without building the objects, which a 5 MB model would make the main cost
 * of registering.
 */
function checkArtifact(artifact: unknown): Buffer {
  let bytes: Buffer;
  if (typeof artifact === 'string') bytes = Buffer.from(artifact, 'utf8');
  else if (Buffer.isBuffer(artifact)) bytes = artifact;
  else throw invalid('artifact', 'must be JSON text or a Buffer of JSON');
  if (!isJsonText(bytes)) {
    let reason = 'a syntax error';
    try {
      JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      reason = (error as Error).message;
    }
    throw invalid('artifact', `is not valid JSON (${reason})`);
  }
  return bytes;
}

function checkReference(reference: unknown): Buffer {
  if (reference === undefined) throw invalid('reference', 'is required (the drift reference profile)');
  return Buffer.from(toJsonText(reference, 'reference'), 'utf8');
}

/** Values that JSON cannot hold faithfully (NaN, functions, cycles) are refused rather than silently changed. */
function toJsonText(value: unknown, field: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v))
        throw invalid(key ? `${field}.${key}` : field, `contains ${v}, which JSON cannot store`);
      if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint')
        throw invalid(key ? `${field}.${key}` : field, `contains a ${typeof v}, which JSON cannot store`);
      return v;
    });
  } catch (error) {
    if (error instanceof GreenLensError) throw error;
    throw invalid(field, `cannot be stored as JSON (${(error as Error).message})`);
  }
  if (text === undefined) throw invalid(field, 'cannot be stored as JSON');
  return text;
}
