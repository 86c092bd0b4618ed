import { z } from 'zod';
import { op } from '../define';
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

export const liveOps = {
  /** Scores pushed readings with the deployed version and logs them (HTTP ingestion). */
  'live.score': op<LiveScoreInfo>()(LiveScoreInputSchema.strict()),
};
