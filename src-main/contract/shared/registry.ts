import type { ColumnRole, CsvEncodingName, DateFormatName, DecimalSeparator, MissingPolicyName } from './data';
import type { Lineage } from './loop';
/**
 * Shapes of the model registry (ARCHITECTURE §4) that cross the contract: the
 * registry core produces them, the UI and the CLI show them. Part of the
 * contract's zod-free leaf (see ../index.ts).
 */

/** The model an operation works on when none is named. */
export const DEFAULT_MODEL = 'energy-anomaly';
/** The alias that marks the deployed version: promote, rollback, score and health default to it. */
export const DEFAULT_ALIAS = 'production';
/** A registry exported to one file. */
export const ARCHIVE_EXTENSION = '.greenlens';

/** Whether a path names a registry archive (the extension in any case). */
export function isArchivePath(path: string): boolean {
  return path.toLowerCase().endsWith(ARCHIVE_EXTENSION);
}

export interface TrainingDataSummary {
  rows: number;
  columns: string[];
  /** sha256 (hex) of the training data as the trainer saw it. */
  sha256: string;
  /** Where the data came from (file name, simulator seed…), for people. */
  source?: string;
  /**
   * The registry dataset (`datasets/<id>/`) the rows were drawn from, when it was
   * kept there: a watch retrain reads it again for its window (ARCHITECTURE §4a).
   */
  datasetId?: string;
  /**
   * The file the rows were read from, when training read one file that the
   * registry does not keep (`greenlens train --data F`): its absolute path,
   * size and sha256 at training time, and how it was read. A watch retrain
   * reads it again for its window while it still holds those bytes
   * (ARCHITECTURE §4a), as it reads a kept `datasetId`.
   */
  file?: TrainingFile;
}

export interface TrainingFile {
  path: string;
  bytes: number;
  sha256: string;
  /** The reading settings the import used (inferred ones as inferred) and the columns' roles, to read it the same way again. */
  read: {
    encoding: Exclude<CsvEncodingName, 'auto'>;
    /** Empty for Parquet (typed columns: no text setting applies). */
    delimiter: string;
    decimal: DecimalSeparator;
    dateFormat: DateFormatName;
    missing: MissingPolicyName;
    roles: Record<string, ColumnRole>;
  };
}

/** A file inside a version folder and what it must hash to. */
export interface FileRef {
  file: string;
  sha256: string;
  bytes: number;
}

/** Exactly what `version.json` holds. */
export interface VersionRecord {
  /** Parent, trigger, data window and reason (versions trained before lineage existed have none). */
  lineage?: Lineage;
  model: string;
  version: string;
  createdAt: string;
  params: Record<string, unknown>;
  metrics: Record<string, number | null>;
  trainingData: TrainingDataSummary;
  tags: string[];
  description: string;
  artifact: FileRef;
  reference: FileRef;
}

/** A version as listed: the stored record plus the manifest's view of it. */
export interface VersionMeta extends VersionRecord {
  /** Aliases (e.g. `production`) that currently point at this version. */
  aliases: string[];
  archived: boolean;
}

export interface ModelSummary {
  name: string;
  createdAt: string;
  aliases: Record<string, string>;
  /** Versions with a complete version.json, archived ones included. */
  versionCount: number;
  /** Highest non-archived version, or null. */
  latest: string | null;
  archived: string[];
}

interface EventBase {
  time: string;
  model: string;
  reason: string;
  user: string;
}

/** An alias moved: promote sets it, rollback undoes its last change. */
export interface AliasEvent extends EventBase {
  /** The evaluation that justified a promotion: its job id in jobs.ndjson and a one-line summary. */
  evaluation?: { id: string; summary: string };
  action: 'promote' | 'rollback';
  alias: string;
  /** Where the alias pointed before; null when it was new. */
  from: string | null;
  to: string;
}

export interface ArchiveEvent extends EventBase {
  action: 'archive';
  version: string;
}

/** One line of deployments.ndjson. */
export type DeploymentEvent = AliasEvent | ArchiveEvent;

export interface ParamDiff {
  /** Dotted path into params, e.g. `model.trees`. */
  key: string;
  /** undefined when the parameter is absent on that side. */
  a: unknown;
  b: unknown;
}

export interface MetricDiff {
  name: string;
  a: number | null;
  b: number | null;
  /** b − a, or null when either side is missing. */
  delta: number | null;
  /**
   * Is b better than a? null when the direction of the metric is unknown, a side
   * is missing, or the two were measured on different evaluation data (see caveat).
   */
  better: boolean | null;
  /** Why the figures may not be comparable, e.g. "measured on different holdouts". */
  caveat?: string;
}

/** What a version's quality metrics (precision, recall, F1, ROC AUC) were measured on. */
export interface EvaluationData {
  /** Its own holdout, its training rows (no label to hold out), or not recorded. */
  on: 'holdout' | 'training' | 'unknown';
  /** Rows measured on; null when not recorded. */
  rows: number | null;
  /** Checksum of the training data the holdout was drawn from. */
  dataSha256: string;
  source: string | null;
}

export interface CompareResult {
  model: string;
  a: string;
  b: string;
  params: ParamDiff[];
  metrics: MetricDiff[];
  /** Each side's evaluation data; `same` when both were measured on the same rows (same data, split share and seed). */
  evaluation: { a: EvaluationData; b: EvaluationData; same: boolean };
  trainingData: {
    rows: { a: number; b: number; delta: number };
    columnsAdded: string[];
    columnsRemoved: string[];
    shaChanged: boolean;
    sourceChanged: boolean;
  };
}

export interface VerifyProblem {
  /** Absolute path of the file or folder concerned. */
  file: string;
  message: string;
  /** Warnings (e.g. a torn last log line) do not make the registry invalid. */
  severity: 'error' | 'warning';
}

export interface VerifyResult {
  ok: boolean;
  problems: VerifyProblem[];
  checked: { models: number; versions: number; files: number };
}

export interface RegistryInfo {
  path: string;
  formatVersion: number;
  createdAt: string;
  models: ModelSummary[];
}

/** What `registry.import` did: the registry it opened, plus the archive's verify report (warnings only; errors refuse the import). */
export interface ImportedRegistry extends RegistryInfo {
  archive: string;
  verify: VerifyResult;
}

export interface ExportedRegistry {
  archive: string;
  bytes: number;
  files: number;
}

export interface VersionList {
  model: string;
  aliases: Record<string, string>;
  /** For each alias that has an earlier version in its history: where a rollback would move it. */
  rollbackTo: Record<string, string>;
  versions: VersionMeta[];
}
