import { z } from 'zod';
import { op } from '../define';
import type { CompareResult, DeploymentEvent, ModelSummary, VerifyResult, VersionMeta } from '../types/registry';

export type * from '../types/registry';

/** Model and alias names: no separators, no traversal, not empty (DESIGN §4). */
export const NameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'use lowercase letters, digits, ".", "_" or "-" (max 64)');
export const VersionSchema = z.string().regex(/^\d+\.\d+\.\d+$/, 'use a semantic version like 1.2.0');
export const DEFAULT_MODEL = 'energy-anomaly';

export interface RegistryInfo {
  path: string;
  formatVersion: number;
  models: ModelSummary[];
}

export interface VersionList {
  model: string;
  aliases: Record<string, string>;
  versions: VersionMeta[];
}

const ModelField = NameSchema.default(DEFAULT_MODEL);
const Reason = z.string().trim().min(1, 'say why').max(500).regex(/^[^\r\n]*$/, 'one line');

/** Registry operations (DESIGN §4): open/create/share, versions, aliases, deployments. */
export const registryOps = {
  /** The open registry (created on first use when it is the default one). */
  'registry.info': op<RegistryInfo>()(z.object({}).strict()),
  /** Opens a registry folder, or its greenlens-registry.json. */
  'registry.open': op<RegistryInfo>()(z.object({ path: z.string().min(1) }).strict()),
  /** Creates a registry in a new or empty folder and opens it. */
  'registry.create': op<RegistryInfo>()(z.object({ path: z.string().min(1) }).strict()),
  'registry.verify': op<VerifyResult>()(z.object({}).strict(), { long: true }),
  /** Writes the whole registry to one .greenlens file. */
  'registry.export': op<{ archive: string; bytes: number; files: number }>()(z.object({ archive: z.string().min(1) }).strict(), { long: true }),
  /** Unpacks a .greenlens file into a new folder (default: beside the archive), verifies it and opens it. */
  'registry.import': op<RegistryInfo>()(z.object({ archive: z.string().min(1), target: z.string().min(1).optional() }).strict(), { long: true }),
  'versions.list': op<VersionList>()(z.object({ model: ModelField, includeArchived: z.boolean().default(false) }).strict()),
  'versions.show': op<VersionMeta>()(z.object({ model: ModelField, version: VersionSchema }).strict()),
  'versions.compare': op<CompareResult>()(z.object({ model: ModelField, a: VersionSchema, b: VersionSchema }).strict()),
  'versions.promote': op<{ event: DeploymentEvent }>()(
    z.object({ model: ModelField, version: VersionSchema, alias: NameSchema.default('production'), reason: Reason }).strict(),
  ),
  'versions.rollback': op<{ event: DeploymentEvent }>()(z.object({ model: ModelField, alias: NameSchema.default('production'), reason: Reason }).strict()),
  'versions.archive': op<{ event: DeploymentEvent }>()(z.object({ model: ModelField, version: VersionSchema, reason: Reason }).strict()),
  /** Tags and description are the only things that change after a version is written. */
  'versions.tag': op<VersionMeta>()(
    z
      .object({
        model: ModelField,
        version: VersionSchema,
        tags: z.array(z.string().trim().min(1).max(40)).max(50).optional(),
        description: z.string().max(5000).optional(),
      })
      .strict(),
  ),
  'deployments.history': op<{ events: DeploymentEvent[] }>()(z.object({ model: NameSchema.optional() }).strict()),
};
