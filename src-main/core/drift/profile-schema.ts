import { z } from 'zod';
import { PROFILE_FORMAT, PROFILE_QUANTILES, PROFILE_VERSION, type FeatureProfile, type ReferenceProfile } from './profile';

/** Validation of a stored reference profile (e.g. read back from the registry). */

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const count = z.number().int().nonnegative();
const quantileShape = Object.fromEntries(Object.keys(PROFILE_QUANTILES).map((k) => [k, finite])) as Record<
  keyof typeof PROFILE_QUANTILES,
  typeof finite
>;

const featureSchema = z
  .object({
    name: z.string().min(1),
    count,
    missing: count,
    mean: finite.nullable(),
    std: finite.nonnegative().nullable(),
    min: finite.nullable(),
    max: finite.nullable(),
    quantiles: z.object(quantileShape).nullable(),
    psi: z.object({ bins: z.number().int().min(2), edges: z.array(finite), proportions: z.array(z.number().min(0).max(1)) }),
    histogram: z.object({ edges: z.array(finite), counts: z.array(count) }),
    distinct: count,
    valueCounts: z.object({ values: z.array(finite), counts: z.array(count) }).nullable(),
    // Checked in one loop below: element by element through zod, 70,000 samples were most of loading a profile
    // (in every CLI score's alert check, on cold code).
    sample: z.custom<number[]>((v) => Array.isArray(v), 'expected an array of numbers'),
  })
  .superRefine((f, ctx) => {
    const issue = (message: string, path: Array<string | number>): void => {
      ctx.addIssue({ code: 'custom', message, path });
    };
    const bad = firstNotFinite(f.sample);
    if (bad >= 0) issue('must be a finite number', ['sample', bad]);
    if (f.count === 0) return;
    if (f.mean === null || f.std === null || f.min === null || f.max === null || f.quantiles === null) {
      issue('mean, std, min, max and quantiles are required when count > 0', []);
    }
    if (f.psi.proportions.length !== f.psi.edges.length + 1) {
      issue(`expected ${f.psi.edges.length + 1} PSI proportions for ${f.psi.edges.length} edges, got ${f.psi.proportions.length}`, [
        'psi',
        'proportions',
      ]);
    }
    if (f.psi.edges.length > f.psi.bins - 1) issue(`at most ${f.psi.bins - 1} PSI edges for ${f.psi.bins} bins`, ['psi', 'edges']);
    if (!ascending(f.psi.edges, true)) issue('PSI edges must be strictly increasing', ['psi', 'edges']);
    const total = f.psi.proportions.reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 1e-9) issue(`PSI proportions must sum to 1, got ${total}`, ['psi', 'proportions']);
    if (f.histogram.counts.length !== f.histogram.edges.length - 1) {
      issue(`expected ${f.histogram.edges.length - 1} histogram counts, got ${f.histogram.counts.length}`, ['histogram', 'counts']);
    }
    if (!ascending(f.histogram.edges, true)) issue('histogram edges must be strictly increasing', ['histogram', 'edges']);
    if (f.sample.length === 0) issue('sample must not be empty when count > 0', ['sample']);
    if (f.sample.length > f.count) issue(`sample (${f.sample.length}) larger than count (${f.count})`, ['sample']);
    if (f.valueCounts) {
      if (f.valueCounts.values.length !== f.valueCounts.counts.length)
        issue('valueCounts values and counts differ in length', ['valueCounts']);
      if (!ascending(f.valueCounts.values, true)) issue('valueCounts values must be strictly increasing', ['valueCounts', 'values']);
    }
  });

const profileSchema = z
  .object({
    format: z.literal(PROFILE_FORMAT),
    version: z.literal(PROFILE_VERSION),
    rows: count,
    bins: z.number().int().min(2),
    sampleSize: z.number().int().positive(),
    seed: z.number().int(),
    features: z.array(featureSchema),
    season: z
      .object({
        days: z.custom<number[]>((v) => Array.isArray(v), 'expected an array of days'),
        values: z.record(
          z.string(),
          z.custom<Array<number | null>>((v) => Array.isArray(v), 'expected an array of numbers or nulls'),
        ),
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    if (p.season) {
      const { days, values } = p.season;
      const badDay = days.findIndex((d) => !Number.isInteger(d) || d < 0 || d > 365);
      if (badDay >= 0) ctx.addIssue({ code: 'custom', message: 'must be a day of the year (0–365)', path: ['season', 'days', badDay] });
      for (const [name, column] of Object.entries(values)) {
        if (column.length !== days.length) {
          ctx.addIssue({
            code: 'custom',
            message: `expected ${days.length} values, got ${column.length}`,
            path: ['season', 'values', name],
          });
        }
        const bad = column.findIndex((v) => v !== null && (typeof v !== 'number' || !Number.isFinite(v)));
        if (bad >= 0) ctx.addIssue({ code: 'custom', message: 'must be a finite number or null', path: ['season', 'values', name, bad] });
      }
    }
    const seen = new Set<string>();
    p.features.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', message: `duplicate feature "${f.name}"`, path: ['features', i, 'name'] });
      seen.add(f.name);
    });
  });

/** Index of the first element that is not a finite number; -1 when there is none. */
function firstNotFinite(values: readonly unknown[]): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return i;
  }
  return -1;
}

function ascending(values: number[], strict: boolean): boolean {
  for (let i = 1; i < values.length; i++) {
    if (strict ? values[i]! <= values[i - 1]! : values[i]! < values[i - 1]!) return false;
  }
  return true;
}

export class InvalidProfileError extends Error {
  override readonly name = 'InvalidProfileError';
}

/**
 * Checks that `json` is a reference profile this code can use and returns it
 * typed. Throws {@link InvalidProfileError} listing every problem with its path,
 * e.g. `features[2].psi.proportions: expected 10 PSI proportions for 9 edges, got 8`.
 */
export function validateProfile(json: unknown): ReferenceProfile {
  const result = profileSchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new InvalidProfileError(`invalid reference profile:\n  ${lines.join('\n  ')}`);
  }
  const features: FeatureProfile[] = result.data.features;
  return { ...result.data, features };
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}
