/**
 * Round-trip reader: opens a registry in a fresh process and prints, as one
 * JSON line, every version's metadata and the base64 of its files as loaded
 * through the checked API. Usage: reader.ts <registryDir> <model>
 */
import { Registry } from '../../../../src-main/core/registry/registry';

const [dir, model] = process.argv.slice(2);
if (!dir || !model) throw new Error('usage: reader.ts <registryDir> <model>');
const registry = await Registry.open(dir);
const versions = await registry.listVersions(model, { includeArchived: true });
const files = await Promise.all(
  versions.map(async (v) => ({
    version: v.version,
    artifact: (await registry.loadArtifact(model, v.version)).toString('base64'),
    reference: (await registry.loadReference(model, v.version)).toString('base64'),
  })),
);
process.stdout.write(`${JSON.stringify({ versions, files, history: await registry.history(model), verify: await registry.verify() })}\n`);
