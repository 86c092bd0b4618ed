/**
 * Public shapes of the model registry (ARCHITECTURE §4). The shapes that cross
 * the contract live in contract/shared/registry.ts (one definition for core,
 * UI and CLI); the inputs below are only used by callers of the core API.
 */
import type { Lineage } from '../../contract/shared/loop';
import type { TrainingDataSummary } from '../../contract/shared/registry';

export type {
  AliasEvent,
  ArchiveEvent,
  CompareResult,
  DeploymentEvent,
  EvaluationData,
  FileRef,
  MetricDiff,
  ModelSummary,
  ParamDiff,
  TrainingDataSummary,
  VerifyProblem,
  VerifyResult,
  VersionMeta,
  VersionRecord,
} from '../../contract/shared/registry';

export interface RegisterInput {
  model: string;
  /** Omit to take the next patch after the highest existing version (first: 1.0.0). */
  version?: string;
  params: Record<string, unknown>;
  metrics: Record<string, number | null>;
  trainingData: TrainingDataSummary;
  tags?: string[];
  description?: string;
  /** The model as JSON text (or its UTF-8 bytes); stored byte for byte as model.json. */
  artifact: Buffer | string;
  /** The drift reference profile; stored as reference.json. */
  reference: unknown;
  lineage?: Lineage;
}

export interface DeploymentActor {
  reason: string;
  /** The evaluation behind a promotion (see AliasEvent.evaluation). */
  evaluation?: { id: string; summary: string };
  /** Defaults to the OS user name. */
  user?: string;
}
