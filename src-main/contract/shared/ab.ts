/**
 * A/B and shadow runs on an alias (issue 12 item 4): shapes shared by the
 * backend, the CLI and the renderer. Part of the contract's zod-free leaf.
 */

/** Which role a logged prediction played: champion (the alias's version), challenger (A/B) or shadow (logged, decided nothing). */
export const ARMS = ['champion', 'challenger', 'shadow'] as const;
export type Arm = (typeof ARMS)[number];

export const AB_MODES = ['ab', 'shadow'] as const;
export type AbMode = (typeof AB_MODES)[number];

/** What decides a reading's arm: its building id, or a hash of the reading (building, time, values). */
export const AB_KEYS = ['building', 'reading'] as const;
export type AbKey = (typeof AB_KEYS)[number];

/** One A/B or shadow run as stored in `ab.json`; at most one active (stoppedAt null) per model and alias. */
export interface AbRun {
  id: string;
  model: string;
  alias: string;
  mode: AbMode;
  challenger: string;
  /** The alias's version when the run started (informational: the champion is whatever the alias names). */
  champion: string;
  /** Share of readings routed to the challenger (A/B); 0 for shadow. */
  share: number;
  by: AbKey;
  /** Mixed into the routing hash: the same key goes to the same arm for as long as the run lasts. */
  salt: string;
  startedAt: string;
  stoppedAt: string | null;
  reason: string;
}

/** Per-arm figures of an A/B report. */
export interface AbArmReport {
  arm: Arm;
  versions: string[];
  readings: number;
  flagged: number;
  anomalyRate: number;
  /** Readings with a known label (or a feedback verdict). */
  labelled: number;
  /** F1 on the labelled readings with a 95 % bootstrap interval; null without labels of both kinds. */
  f1: { value: number; low: number; high: number } | null;
}

export interface AbReport {
  run: AbRun;
  arms: AbArmReport[];
  /** Two-proportion z-test on the anomaly rates (challenger − champion), or why it was not run. */
  verdict: { decided: boolean; message: string; test: { difference: number; z: number; pValue: number } | null };
  /** Shadow only: how the shadow's flags and scores compare with the champion's on the same readings. */
  shadow: { matched: number; jaccard: number | null; meanScoreShift: number | null; flagsChanged: number } | null;
  /** Anomaly rate per arm per data-time bucket (UTC), for the chart. */
  series: { bucketMs: number; points: { time: number; champion: number | null; challenger: number | null; shadow: number | null }[] };
  /** The data-time span of the run's readings. */
  fromMs: number | null;
  toMs: number | null;
}
