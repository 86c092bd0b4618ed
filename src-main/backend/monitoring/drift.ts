import type { ModelNamed } from '../registry/pick-model';
import { GreenLensError, type OpArgs } from '../../contract';
import type { Thresholds } from '../../contract/settings';
import type { DriftResult, ReferenceSourceInfo } from '../../contract/shared/monitoring';
import { driftTrend } from '../../core/drift/chunks';
import { buildReferenceProfile, type ReferenceProfile } from '../../core/drift/profile';
import { isProfile, type Reference } from '../../core/drift/reference';
import { driftReport } from '../../core/drift/report';
import type { DriftThresholds } from '../../core/drift/rule';
import type { JobContext } from '../job';
import type { BackendState } from '../state';
import { chooseChunking } from './chunking';
import { csvColumns, currentColumns } from './sources';
import { loadProfile } from '../model/versions';
import { resolveWithAlias } from './versions';

/** The drift part of the settings' thresholds (the rest are for health). */
export function driftThresholds(t: Thresholds): DriftThresholds {
  return { psi: t.psi, ksPValue: t.ksPValue, effectSize: t.effectSize, correction: t.correction, datasetDriftShare: t.datasetDriftShare };
}

interface ReferenceSide {
  reference: Reference;
  info: ReferenceSourceInfo;
  features: string[];
  model: string | null;
  version: string | null;
}

/**
 * drift.report: the version's stored profile (or a reference CSV) against a
 * current window, with thresholds read from the settings at call time so a
 * change on the Settings tab applies to the very next report.
 */
export async function runDriftReport(args: ModelNamed<OpArgs<'drift.report'>>, ctx: JobContext, state: BackendState): Promise<DriftResult> {
  const started = performance.now();
  const thresholds = driftThresholds(state.settings.thresholds);
  const fromLog = 'lastN' in args.current || 'fromMs' in args.current;
  const byVersion = fromLog && 'scope' in args.current && args.current.scope === 'version';
  const ref = await referenceSide(args, ctx, state, !args.reference || byVersion);
  const logFeatures = args.features ?? ref.features;
  const { columns, info } = await currentColumns(args.current, ctx, state, {
    model: args.model,
    version: ref.version,
    features: logFeatures,
    building: args.building,
  });
  if (columns.rows === 0) {
    throw new GreenLensError('not_found', `Nothing to compare: the current window (${describe(info)}) is empty.`, {
      field: 'current',
      hint: fromLog ? 'Score readings with this model version first, or pick another window.' : 'Pick data with at least one row.',
    });
  }
  const features = args.features ?? ref.features.filter((f) => f in columns.features);
  if (features.length === 0) {
    throw new GreenLensError(
      'invalid_input',
      `The reference and the current data share no feature column (reference: ${ref.features.join(', ')}).`,
      {
        field: 'features',
      },
    );
  }
  ctx.progress('measuring drift', 0, 2);
  const report = guard(() =>
    driftReport(ref.reference, columns.features, thresholds, { features, ...(columns.timestamps ? { times: columns.timestamps } : {}) }),
  );
  if (report.features.length === 0) {
    const why = report.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
    throw new GreenLensError('invalid_input', `No feature could be compared (${why}).`, { field: 'features' });
  }
  ctx.progress('measuring drift', 1, 2);
  const by = chooseChunking(args.chunkBy, columns.rows, columns.timestamps, args.chunkRows);
  const trend =
    by === null
      ? null
      : guard(() =>
          driftTrend(trendReference(ref.reference), columns.features, thresholds, {
            by,
            features: report.features.map((f) => f.name),
            ...(columns.timestamps ? { timestamps: columns.timestamps } : {}),
          }),
        );
  ctx.progress('measuring drift', 2, 2);
  return {
    ...report,
    model: ref.model,
    version: ref.version,
    reference: ref.info,
    current: info,
    trend,
    ...(args.building !== undefined ? { building: { id: args.building, reference: 'fleet' as const } } : {}),
    elapsedMs: Math.round(performance.now() - started),
  };
}

async function referenceSide(
  args: ModelNamed<OpArgs<'drift.report'>>,
  ctx: JobContext,
  state: BackendState,
  needVersion: boolean,
): Promise<ReferenceSide> {
  const resolved = needVersion
    ? await resolveWithAlias(state, args.model, {
        ...(args.version ? { version: args.version } : {}),
        ...(args.alias ? { alias: args.alias } : {}),
      })
    : null;
  if (args.reference) {
    const cols = await csvColumns(args.reference.path, ctx, 'reading reference CSV', args.reference.csv);
    return {
      reference: cols.features,
      info: { kind: 'csv', path: args.reference.path, rows: cols.rows, reading: cols.reading },
      features: Object.keys(cols.features),
      model: resolved ? args.model : null,
      version: resolved?.meta.version ?? null,
    };
  }
  const { registry, meta } = resolved!;
  const profile = await loadProfile(registry, meta);
  return {
    reference: profile,
    info: { kind: 'profile', model: args.model, version: meta.version, rows: profile.rows },
    features: profile.features.map((f) => f.name),
    model: args.model,
    version: meta.version,
  };
}

/**
 * KS in every chunk against the full 10,000-value reference sample costs ~40 ms
 * a chunk (exact p-values); a 1,000-value systematic subsample of the sorted
 * sample keeps the shape and makes the trend ~8× cheaper. PSI still uses the
 * reference's exact bins. The headline report always uses the full reference;
 * per-building checks (fleet table, building detail) use this subsample too,
 * since they run one KS per building and feature.
 */
export const TREND_REFERENCE_SAMPLE = 1_000;

export function trendReference(reference: Reference): ReferenceProfile {
  const profile = isProfile(reference) ? reference : buildReferenceProfile(reference, { sampleSize: TREND_REFERENCE_SAMPLE });
  return {
    ...profile,
    features: profile.features.map((f) => {
      const step = Math.ceil(f.sample.length / TREND_REFERENCE_SAMPLE);
      return step <= 1 ? f : { ...f, sample: f.sample.filter((_, i) => i % step === Math.floor(step / 2)) };
    }),
  };
}

/** The core throws RangeError on bad thresholds or options; the user sees a clear invalid_input. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RangeError) throw new GreenLensError('invalid_input', `Cannot compute drift: ${error.message}.`);
    throw error;
  }
}

function describe(info: DriftResult['current']): string {
  if (info.kind === 'log') return info.window;
  if (info.kind === 'dataset') return `dataset ${info.name}`;
  return info.path;
}
