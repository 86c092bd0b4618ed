import type { IForestModel } from '../types';
import type { TowtModel } from './towt';
import type { BlockSupport, TemperatureSupport } from './unseen';

/** The ensemble's members, in the order their scores are stored. */
export const MEMBERS = ['residual', 'sustained', 'rules', 'forest'] as const;
export type MemberName = (typeof MEMBERS)[number];

/** Rules that can fire on a reading (0 = none). */
export const RULES = ['none', 'stuck', 'dropout', 'jump'] as const;
export type RuleName = (typeof RULES)[number];

export interface ContextualSettings {
  /** Temperature knots (at evenly spaced training quantiles). */
  knots: number;
  /** A value repeated this many hours is a stuck sensor. */
  stuckHours: number;
  /** Flag when the strongest weighted member exceeds this many robust standard deviations. */
  threshold: number;
  /** Trailing window of the sustained-residual member, hours. */
  windowHours: number;
  /** Residual change between adjacent readings, as a multiple of the largest ordinary change (99.9th percentile in training), that counts as a jump. */
  jumpLimit: number;
  /** A building needs this many hours of readings for its own baseline (else the fleet's). */
  minHistoryHours: number;
  /** Isolation Forest on context features. */
  trees: number;
  sampleSize: number;
  seed: number;
  /** Multiplies each member's score before the max. */
  weights: Record<MemberName, number>;
}

export const DEFAULT_SETTINGS: ContextualSettings = {
  knots: 6,
  stuckHours: 6,
  threshold: 5,
  windowHours: 24,
  jumpLimit: 1.5,
  minHistoryHours: 28 * 24,
  trees: 50,
  sampleSize: 256,
  seed: 42,
  weights: { residual: 1, sustained: 1, rules: 1, forest: 0.5 },
};

/** One meter's baseline in one building (or the fleet's, in units of a building's level). */
export interface MeterModel {
  towt: TowtModel;
  /** Robust σ of the residuals per hour of the day, unoccupied then occupied slots (48 values; 12 of 4-hour bands in files written before). */
  spread: number[];
  /** Robust σ of the trailing-window mean of the scaled residual. */
  sustainedSpread: number;
  /** 99.9th percentile of the scaled residual's change between adjacent readings in training. */
  jumpSpread: number;
}

export interface BuildingModel {
  id: string;
  /** Training readings. */
  rows: number;
  /** Median reading per meter: the building's size, used to scale the fleet model. */
  levels: number[];
  /** Own baseline per meter; null = too little history, scored with the fleet model. */
  meters: MeterModel[] | null;
  /** The outdoor temperatures it was trained on (unseen.ts); absent in files written before, or without temperature. */
  support?: TemperatureSupport;
  /** Per meter, the temperatures its occupied and its unoccupied hours were trained on (unseen.ts); absent in files written before. */
  blockSupport?: BlockSupport[];
}

export interface ContextualModel {
  kind: 'contextual';
  /** Energy columns with a baseline each. */
  meters: string[];
  /** Columns the stuck rule watches (those that rarely repeat in training). */
  stuckColumns: string[];
  /** Outdoor temperature column, or null (then hour-of-week terms only). */
  temperature: string | null;
  settings: ContextualSettings;
  buildings: BuildingModel[];
  /** Pooled baseline of all buildings with enough history, per meter, in units of each building's level. */
  fleet: MeterModel[];
  /** Isolation Forest on [scaled residual per meter, hour, weekday, temperature]. */
  forest: IForestModel;
  /** Median and robust σ of the forest's training scores (its member score is the standardised score). */
  forestCenter: number;
  forestScale: number;
  trainedRows: number;
}

export interface ContextualInput {
  /** Epoch ms per row. */
  time: Float64Array;
  /** Building per row (codes into dictionary, -1 none); null = one building. */
  groups: { codes: Int32Array; dictionary: string[] } | null;
  temperature: Float64Array | null;
  /** Values per meter, in the model's meter order. */
  meters: Float64Array[];
  /** Values per stuck-rule column, in the model's (or the candidate) order. */
  stuckColumns: Float64Array[];
}

export interface ContextualScores {
  /** Calibrated score in [0, 1): 0.5 is the threshold. */
  scores: Float64Array;
  flags: Uint8Array;
  /** Index into MEMBERS of the member that drove the score. */
  member: Uint8Array;
  /** The feature behind it: a meter index, or meters.length + a stuck column index. */
  feature: Int16Array;
  /** Index into RULES of the rule that fired (0 none). */
  rule: Uint8Array;
  /** Each member's own (unweighted) score, per row, in robust standard deviations. */
  memberScores: Record<MemberName, Float64Array>;
  /** Expected value per meter and row. */
  expected: Float64Array[];
  /** Scaled residual per meter and row. */
  z: Float64Array[];
  warnings: string[];
}
