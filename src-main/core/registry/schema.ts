import { z } from 'zod';
import { COLUMN_ROLES, CSV_ENCODINGS, DATE_FORMATS, DECIMAL_SEPARATORS, MISSING_POLICIES } from '../../contract/shared/data';
import type { DeploymentEvent, VersionRecord } from './types';

/**
 * Schemas for what is read back from disk. Files may have been edited, copied
 * half-way or written by another build, so nothing is trusted unchecked.
 */

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex sha256');
const nonNegativeInt = z.number().int().nonnegative();

const fileRef = z.object({ file: z.string().min(1), sha256, bytes: nonNegativeInt });

export const trainingDataSchema = z.object({
  rows: nonNegativeInt,
  columns: z.array(z.string()),
  sha256,
  source: z.string().optional(),
  // Names a folder under datasets/: a hand-edited path must not lead the reader elsewhere.
  datasetId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'expected a dataset id (letters, digits, _ and -)')
    .optional(),
  file: z
    .object({
      path: z.string().min(1),
      bytes: nonNegativeInt,
      sha256,
      read: z.object({
        encoding: z.enum(CSV_ENCODINGS).exclude(['auto']),
        // Empty for Parquet, whose typed columns no text setting applies to.
        delimiter: z.string().max(1),
        decimal: z.enum(DECIMAL_SEPARATORS).exclude(['auto']),
        dateFormat: z.enum(DATE_FORMATS).exclude(['auto']),
        missing: z.enum(MISSING_POLICIES),
        roles: z.record(z.string(), z.enum(COLUMN_ROLES)),
      }),
    })
    .optional(),
});

export const lineageSchema = z.object({
  parent: z.string().nullable(),
  trigger: z.enum(['drift', 'schedule', 'manual']),
  window: z.object({ fromMs: z.number(), toMs: z.number() }).nullable(),
  reason: z.string(),
  source: z.string().optional(),
});

export const versionRecordSchema: z.ZodType<VersionRecord> = z.object({
  lineage: lineageSchema.optional(),
  model: z.string(),
  version: z.string(),
  createdAt: z.string(),
  params: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.number().nullable()),
  trainingData: trainingDataSchema,
  tags: z.array(z.string()),
  description: z.string(),
  artifact: fileRef,
  reference: fileRef,
});

const eventBase = { time: z.string(), model: z.string(), reason: z.string(), user: z.string() };

export const deploymentEventSchema: z.ZodType<DeploymentEvent> = z.discriminatedUnion('action', [
  z.object({
    ...eventBase,
    action: z.enum(['promote', 'rollback']),
    alias: z.string(),
    from: z.string().nullable(),
    to: z.string(),
    evaluation: z.object({ id: z.string(), summary: z.string() }).optional(),
  }),
  z.object({ ...eventBase, action: z.literal('archive'), version: z.string() }),
]);

export const modelEntrySchema = z.looseObject({
  createdAt: z.string(),
  aliases: z.record(z.string(), z.string()),
  archived: z.array(z.string()).optional(),
});

/** Unknown keys are kept so a same-version file with extra fields survives a rewrite. */
export const manifestV1Schema = z.looseObject({
  format: z.literal('greenlens-registry'),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  models: z.record(z.string(), modelEntrySchema),
});

export type Manifest = z.infer<typeof manifestV1Schema>;
export type ModelEntry = z.infer<typeof modelEntrySchema>;

/** The hypothetical first layout: aliases kept at top level, keyed by model. */
export const manifestV0Schema = z.looseObject({
  format: z.literal('greenlens-registry'),
  formatVersion: z.literal(0),
  createdAt: z.string(),
  models: z.record(z.string(), z.looseObject({ createdAt: z.string() })),
  aliases: z.record(z.string(), z.record(z.string(), z.string())).default({}),
});

/** First issue of a zod error as `path: message`, for error text that names the field. */
export function describeIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = issue ? issue.path.map(String).join('.') : '';
  return { field, message: issue ? `${field || '(root)'}: ${issue.message}` : 'invalid' };
}
