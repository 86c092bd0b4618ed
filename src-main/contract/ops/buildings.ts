import { z } from 'zod';
import { boundedInt, op } from '../define';
import { BUILDING_CHART_POINTS, type BuildingDetail, type BuildingList, type BuildingReadings } from '../shared/buildings';
import { NameSchema, VersionSchema } from './registry';

export type * from '../shared/buildings';

const EpochMs = z.number().min(0);
/** A building as the id column and the log's buildings.json name it. */
export const BuildingIdSchema = z.string().min(1).max(200);

/** The per-building view (ARCHITECTURE §6c); the fleet table is `buildings.fleet` in ops/report.ts. */
export const buildingOps = {
  /** Buildings a picker offers: those the prediction log records, and the dataset's ids. */
  'buildings.list': op<BuildingList>()(() => z.object({ datasetId: z.string().min(1).optional() }).strict()),
  /** One building's readings of a dataset with the expected load (contextual versions) and flags, thinned for a chart. */
  'buildings.readings': op<BuildingReadings>()(
    () =>
      z
        .object({
          datasetId: z.string().min(1),
          building: BuildingIdSchema,
          /** The meter to draw; default the version's first meter (else total_kw, else the first feature). */
          column: z.string().min(1).optional(),
          /** Omitted: the registry's only model; no model at all still draws the readings. */
          model: NameSchema.optional(),
          version: VersionSchema.optional(),
          maxPoints: boundedInt(BUILDING_CHART_POINTS),
        })
        .strict(),
    { long: true },
  ),
  /** One building's logged readings (data time [fromMs, toMs)): anomaly rate over time, figures, drift and alerts. */
  'buildings.detail': op<BuildingDetail>()(
    () =>
      z.object({ model: NameSchema.optional(), building: BuildingIdSchema, fromMs: EpochMs.optional(), toMs: EpochMs.optional() }).strict(),
    { long: true },
  ),
};
