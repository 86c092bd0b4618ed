/** The app's live source (Data tab) and the live view it feeds (Overview, Performance). */

/** Seconds the live view looks back (one bin per second). */
export const LIVE_WINDOW_SECONDS = 300;
/** Live status events go out at most this often: the views redraw at most 4 times a second. */
export const LIVE_EVENT_MIN_MS = 250;
/** Most recent scores kept for the live score chart. */
export const LIVE_RECENT_SCORES = 600;

export type LiveState = 'stopped' | 'connecting' | 'connected' | 'reconnecting' | 'replaying' | 'finished' | 'failed';

export type LiveSourceInfo =
  | { kind: 'mqtt'; url: string; topic: string; resultsTopic: string | null }
  | { kind: 'replay'; datasetId: string; dataset: string; speed: number; rows: number };

export interface LiveWindowInfo {
  seconds: number;
  /** Readings scored in the window, and of them flagged. */
  readings: number;
  anomalies: number;
  anomalyRate: number;
  /** Per second, oldest first, up to `seconds` bins (epoch seconds, counts). */
  perSecond: { t: number; readings: number; anomalies: number }[];
  /** The latest scores, oldest first (at most LIVE_RECENT_SCORES). */
  recentScores: number[];
}

export interface LiveStatusInfo {
  state: LiveState;
  source: LiveSourceInfo | null;
  model: string | null;
  version: string | null;
  /** Epoch ms the source started, or null. */
  startedAt: number | null;
  scored: number;
  anomalies: number;
  /** Payloads with a reading skipped as malformed (not JSON, a field missing…). */
  malformed: number;
  /** Over the last 5 seconds. */
  readingsPerSecond: number;
  logged: number;
  /** The last connection, scoring or logging message, or null. */
  message: string | null;
  window: LiveWindowInfo;
}
