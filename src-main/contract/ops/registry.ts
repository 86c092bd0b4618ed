import { z } from 'zod';
import { op } from '../define';
import { DEFAULT_ALIAS } from '../shared/registry';
import type {
  CompareResult,
  DeploymentEvent,
  ExportedRegistry,
  ImportedRegistry,
  RegistryInfo,
  VerifyResult,
  VersionList,
  VersionMeta,
} from '../shared/registry';

export type * from '../shared/registry';

/** Model and alias names: no separators, no traversal, not empty (ARCHITECTURE §4). */
export const NameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'use lowercase letters, digits, ".", "_" or "-" (max 64)');
/** MAJOR.MINOR.PATCH without leading zeros: the same rule the registry core enforces. */
export const VersionSchema = z
  .string()
  .regex(
    /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/,
    'use a semantic version like 1.2.0 (MAJOR.MINOR.PATCH, no "v", no suffix)',
  );

/** Omitted: the registry's only model (an empty registry lists the default name as empty); several models need a name. */
const ModelField = NameSchema.optional();
const Reason = z
  .string()
  .trim()
  .min(1, 'say why')
  .max(500)
  .regex(/^[^\r\n]*$/, 'one line');
const Tag = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^\r\n]*$/, 'one line');

/** Registry operations (ARCHITECTURE §4): open/create/share, versions, aliases, deployments. */
export const registryOps = {
  /** The open registry (created on first use when it is the default one). */
  'registry.info': op<RegistryInfo>()(() => z.object({}).strict()),
  /** Opens a registry folder, or its greenlens-registry.json. */
  'registry.open': op<RegistryInfo>()(() => z.object({ path: z.string().min(1) }).strict()),
  /** Creates a registry in a new or empty folder and opens it. */
  'registry.create': op<RegistryInfo>()(() => z.object({ path: z.string().min(1) }).strict()),
  /** Checks every file of the open registry against its checksum; never changes anything. */
  'registry.verify': op<VerifyResult>()(() => z.object({}).strict(), { long: true }),
  /** Writes the whole registry to one .greenlens file (the extension is added when missing). */
  'registry.export': op<ExportedRegistry>()(() => z.object({ archive: z.string().min(1) }).strict(), { long: true }),
  /** Unpacks a .greenlens file into a new folder (default: beside the archive, named after it), verifies it and opens it. */
  'registry.import': op<ImportedRegistry>()(() => z.object({ archive: z.string().min(1), target: z.string().min(1).optional() }).strict(), {
    long: true,
  }),
  /** Versions of one model, oldest first. A fresh registry lists the default model as empty rather than failing. */
  'versions.list': op<VersionList>()(() => z.object({ model: ModelField, includeArchived: z.boolean().default(false) }).strict()),
  'versions.show': op<VersionMeta>()(() => z.object({ model: ModelField, version: VersionSchema }).strict()),
  'versions.compare': op<CompareResult>()(() => z.object({ model: ModelField, a: VersionSchema, b: VersionSchema }).strict()),
  'versions.promote': op<{ event: DeploymentEvent }>()(() =>
    z.object({ model: ModelField, version: VersionSchema, alias: NameSchema.default(DEFAULT_ALIAS), reason: Reason }).strict(),
  ),
  /** Moves the alias one step back through its history (promote A, promote B, rollback → A, rollback → whatever was before A). */
  'versions.rollback': op<{ event: DeploymentEvent }>()(() =>
    z.object({ model: ModelField, alias: NameSchema.default(DEFAULT_ALIAS), reason: Reason }).strict(),
  ),
  'versions.archive': op<{ event: DeploymentEvent }>()(() =>
    z.object({ model: ModelField, version: VersionSchema, reason: Reason }).strict(),
  ),
  /**
   * Tags and description are the only things that change after a version is
   * written. `tags` replaces the set; `add`/`remove` edit it (applied after
   * `tags`), so a script need not read the version first.
   */
  'versions.tag': op<VersionMeta>()(() =>
    z
      .object({
        model: ModelField,
        version: VersionSchema,
        tags: z.array(Tag).max(50).optional(),
        add: z.array(Tag).max(50).optional(),
        remove: z.array(Tag).max(50).optional(),
        description: z.string().max(5000).optional(),
      })
      .strict(),
  ),
  /** Deployment events in the order they happened (oldest first). */
  'deployments.history': op<{ events: DeploymentEvent[] }>()(() => z.object({ model: NameSchema.optional() }).strict()),
};
