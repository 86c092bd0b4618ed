import { z } from 'zod';
import { op } from '../define';
import type { ExplanationSummary, FleetResult, ReadingsExport, ReportResult } from '../shared/report';
import { DASHBOARD_METRICS, MAX_DASHBOARD_CHARTS, type DashboardsFile } from '../shared/dashboards';
import { NameSchema } from './registry';

export type * from '../shared/report';

const EpochMs = z.number().min(0);

export const ReportInputSchema = z
  .object({
    model: NameSchema.optional(),
    /** Data time [fromMs, toMs) the report covers; omitted = every logged reading. */
    fromMs: EpochMs.optional(),
    toMs: EpochMs.optional(),
    /** The HTML file to write (atomically). A PDF is printed from it by the transport (CLI: Chromium; app: printToPDF). */
    path: z
      .string()
      .min(1)
      .refine((p) => /\.html?$/i.test(p), { message: 'the report file must end in .html' }),
  })
  .strict()
  .refine((r) => r.fromMs === undefined || r.toMs === undefined || r.toMs > r.fromMs, {
    message: 'toMs must be after fromMs',
    path: ['toMs'],
  });

export const ReadingsExportInputSchema = z
  .object({
    model: NameSchema.optional(),
    /** Data time [fromMs, toMs) of the readings; omitted = all. */
    fromMs: EpochMs.optional(),
    toMs: EpochMs.optional(),
    rows: z.enum(['all', 'flagged']).default('flagged'),
    /** Only this building's readings (as the fleet table names it). */
    building: z.string().min(1).max(200).optional(),
    /** The CSV (or .parquet) file to write, atomically. */
    path: z.string().min(1),
  })
  .strict();

const Id = z.string().trim().min(1).max(200);

export const DashboardSchema = z
  .object({
    id: Id,
    name: Id,
    charts: z
      .array(
        z
          .object({
            id: Id,
            metric: z.enum(DASHBOARD_METRICS),
            model: NameSchema,
            building: Id.nullable().default(null),
            window: z.object({ lastN: z.number().int().min(1).max(100_000_000) }).strict(),
          })
          .strict(),
      )
      .max(MAX_DASHBOARD_CHARTS),
  })
  .strict();

/** Reports for people who do not open the app (ARCHITECTURE §6b). */
export const reportOps = {
  /** One self-contained HTML report of a model: health, drift, performance, buildings, versions, alerts. */
  'report.build': op<ReportResult>()(() => ReportInputSchema, { long: true }),
  /** Logged readings (all or the flagged ones) of a model as a CSV: every row, not the 200 a table shows. */
  'predictions.export': op<ReadingsExport>()(() => ReadingsExportInputSchema, { long: true }),
  /** Every building of the model's logged readings, ranked by flagged readings and drift. */
  'buildings.fleet': op<FleetResult>()(
    () => z.object({ model: NameSchema.optional(), fromMs: EpochMs.optional(), toMs: EpochMs.optional() }).strict(),
    { long: true },
  ),
  /** Which features drove the model's logged flags (data time [fromMs, toMs)), from the explanation log. */
  'predictions.explanations': op<ExplanationSummary>()(() =>
    z.object({ model: NameSchema.optional(), fromMs: EpochMs.optional(), toMs: EpochMs.optional() }).strict(),
  ),
  /** The registry's custom dashboards (`dashboards.json`); one empty dashboard when there is no file. */
  'dashboards.get': op<DashboardsFile>()(() => z.object({}).strict()),
  /** Replaces every dashboard at once (atomically): pinning, moving and removing charts all save the whole arrangement. */
  'dashboards.save': op<DashboardsFile>()(() => z.object({ dashboards: z.array(DashboardSchema).min(1).max(50) }).strict()),
};
