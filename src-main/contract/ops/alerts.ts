import { z } from 'zod';
import { op } from '../define';
import {
  ALERT_KINDS,
  ALERT_SEVERITIES,
  FAULT_TYPES,
  FEEDBACK_VERDICTS,
  type AlertCheckResult,
  type AlertList,
  type AlertHooksFile,
  type AlertRulesFile,
  type AlertView,
  type FeedbackRecord,
  type FeedbackSummary,
} from '../shared/alerts';
import { NameSchema, VersionSchema } from './registry';
import { DAY_MS, HOUR_MS } from '../shared/time';

export type * from '../shared/alerts';

const Ms = z
  .number()
  .int()
  .min(0)
  .max(365 * DAY_MS);

export const AlertRuleSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, dot, dash or underscore'),
    kind: z.enum(ALERT_KINDS),
    enabled: z.boolean().default(true),
    severity: z.enum(ALERT_SEVERITIES).default('warning'),
    threshold: z.number().finite().min(0),
    minDurationMs: Ms.default(0),
    cooldownMs: Ms.default(HOUR_MS),
    model: NameSchema.optional(),
    feature: z.string().min(1).max(200).optional(),
    building: z.string().min(1).max(200).optional(),
    windowMs: Ms.min(60_000).optional(),
  })
  .strict()
  .refine((r) => r.kind !== 'health' || r.threshold === 1 || r.threshold === 2, {
    message: 'a health rule fires at 1 (warning) or 2 (critical)',
    path: ['threshold'],
  });

export const AlertHookSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('command'), command: z.string().min(1), args: z.array(z.string()).max(50).default([]) }).strict(),
  z.object({ type: z.literal('folder'), dir: z.string().min(1) }).strict(),
  z
    .object({
      type: z.literal('http'),
      url: z
        .string()
        .url()
        .refine((u) => /^https?:\/\//.test(u), 'http:// or https:// only'),
    })
    .strict(),
]);

export const AlertRulesFileSchema = z
  .object({
    formatVersion: z.literal(1),
    rules: z
      .array(AlertRuleSchema)
      .max(200)
      .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, 'rule ids must be unique'),
  })
  .strict();

export const AlertHooksFileSchema = z.object({ formatVersion: z.literal(1), hooks: z.array(AlertHookSchema).max(20) }).strict();

const ReadingKeySchema = z
  .object({
    version: VersionSchema,
    building: z.string().min(1).max(200).nullable().default(null),
    dataTime: z.number().finite(),
  })
  .strict();

export const FeedbackMarkSchema = z
  .object({
    model: NameSchema.optional(),
    readings: z.array(ReadingKeySchema).min(1).max(100_000),
    verdict: z.enum(FEEDBACK_VERDICTS),
    faultType: z.enum(FAULT_TYPES).optional(),
    note: z.string().max(2000).default(''),
  })
  .strict()
  .refine((r) => r.verdict === 'fault' || r.faultType === undefined, {
    message: 'a fault type goes with verdict "fault" only',
    path: ['faultType'],
  });

/** Alert rules, alerts and feedback on flags (ARCHITECTURE §6a). */
export const alertOps = {
  /** Alerts from the history, newest first. */
  'alerts.list': op<AlertList>()(() => z.object({ status: z.enum(['open', 'all']).default('all') }).strict()),
  /** Evaluates every rule for every model now (also runs after each scoring request). */
  'alerts.check': op<AlertCheckResult>()(() => z.object({}).strict()),
  'alerts.ack': op<AlertView>()(() => z.object({ id: z.string().min(1).max(40), note: z.string().max(2000).default('') }).strict()),
  /** The rules file (defaults when the registry has none yet). */
  'alerts.rules': op<AlertRulesFile>()(() => z.object({}).strict()),
  'alerts.saveRules': op<AlertRulesFile>()(() => AlertRulesFileSchema),
  /** alerts/hooks.json, read only: hooks are edited in that file, never through an operation (see AlertHooksFile). */
  'alerts.hooks': op<AlertHooksFile>()(() => z.object({}).strict()),
  /** Marks flagged readings as confirmed fault or false alarm. */
  'feedback.mark': op<{ marked: number; summary: FeedbackSummary }>()(() => FeedbackMarkSchema),
  'feedback.list': op<{ records: FeedbackRecord[]; summary: FeedbackSummary; tornLines: number }>()(() =>
    z.object({ model: NameSchema.optional() }).strict(),
  ),
};
