import { z } from 'zod';
import { op } from '../define';
import type { LiveStatusInfo } from '../shared/live';
import { NameSchema } from './registry';

/** One scored reading, as published on an MQTT results topic and answered by POST /api/readings. */
export interface LiveResultInfo {
  timestamp: string;
  building_id: string | null;
  anomaly_score: number;
  is_anomaly: boolean;
  model: string;
  version: string;
}

export interface LiveScoreInfo {
  model: string;
  version: string;
  /** Per reading in payload order: its result, or why it was rejected. */
  items: (LiveResultInfo | { error: string })[];
  /** True when the payload was an array (answer with an array). */
  array: boolean;
  scored: number;
  rejected: number;
  /** Readings appended to the prediction log before answering. */
  logged: number;
}

/** Pushed readings are checked field by field where they are read (core/data/readings.ts); here only size and shape. */
export const MAX_READINGS_PER_REQUEST = 100_000;
export const LiveScoreInputSchema = z.object({
  readings: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()).max(MAX_READINGS_PER_REQUEST)]),
  model: NameSchema.optional(),
  alias: NameSchema.optional(),
});

const modelChoice = { model: NameSchema.optional(), alias: NameSchema.optional() };

/** A live source in the app: an MQTT subscription (as `greenlens stream`), or a dataset replayed at N× real time. */
export const LiveStartInputSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('mqtt'),
      url: z.string().regex(/^mqtts?:\/\/[^/]+/, 'must be mqtt://HOST:PORT or mqtts://HOST:PORT'),
      topic: z
        .string()
        .min(1)
        .refine((t) => !t.startsWith('$share/'), 'give the plain topic (shared subscriptions are for stream workers)'),
      idLevel: z.number().int().min(0).max(100).optional(),
      resultsTopic: z
        .string()
        .min(1)
        .refine((t) => !/[+#]/.test(t), 'must be a plain topic without + or #')
        .optional(),
      username: z.string().min(1).optional(),
      /** A file holding the password (never the password itself: it would sit in logs and settings). */
      passwordFile: z.string().min(1).optional(),
      /** CA certificate file for mqtts://. */
      ca: z.string().min(1).optional(),
      ...modelChoice,
    })
    .strict(),
  z
    .object({
      kind: z.literal('replay'),
      datasetId: z.string().min(1),
      /** × real time by the rows' timestamps; 0 = as fast as scoring goes. */
      speed: z.number().min(0).max(1e9).default(3600),
      ...modelChoice,
    })
    .strict(),
]);

export const liveOps = {
  /** Starts the app's live source (stopping one that runs); status then arrives as `live` events. */
  'live.start': op<LiveStatusInfo>()(() => LiveStartInputSchema),
  /** Stops it: buffered readings are scored and logged first. */
  'live.stop': op<LiveStatusInfo>()(() => z.object({}).strict()),
  'live.status': op<LiveStatusInfo>()(() => z.object({}).strict()),
  /** Scores pushed readings with the deployed version and logs them (HTTP ingestion). */
  'live.score': op<LiveScoreInfo>()(() => LiveScoreInputSchema.strict()),
};
