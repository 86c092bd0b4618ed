import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Registry } from '../../../src-main/core/registry/registry';
import type { DeploymentEvent, VerifyResult, VersionMeta } from '../../../src-main/core/registry/types';
import { runHelper, sampleInput } from './helpers/fixtures';
import { tempDir } from './helpers/temp';

interface ReaderOutput {
  versions: VersionMeta[];
  files: { version: string; artifact: string; reference: string }[];
  history: DeploymentEvent[];
  verify: VerifyResult;
}

describe('round trip through a new process', () => {
  it('reads back byte-identical metadata and artifacts', async () => {
    const dir = path.join(await tempDir(), 'reg');
    const registry = await Registry.create(dir);
    const inputs = [1, 2, 3].map((seed) => sampleInput('chiller', seed));
    const written: VersionMeta[] = [];
    for (const input of inputs) written.push(await registry.registerVersion(input));
    expect(written.map((m) => m.version)).toEqual(['1.0.0', '1.0.1', '1.0.2']);
    inputs.push(sampleInput('chiller', 4, { version: '2.0.0' }));
    written.push(await registry.registerVersion(inputs[3]!));
    expect((await registry.registerVersion(sampleInput('chiller', 5))).version).toBe('2.0.1');
    await registry.promote('chiller', '1.0.2', 'production', { reason: 'best auc', user: 'ana' });
    const versionJsonBefore = await Promise.all(
      written.map((m) => fs.readFile(path.join(dir, 'models/chiller/versions', m.version, 'version.json'))),
    );

    const run = await runHelper('reader.ts', [dir, 'chiller']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as ReaderOutput;

    expect(out.verify.ok).toBe(true);
    expect(out.versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '1.0.2', '2.0.0', '2.0.1']);
    for (const meta of written) {
      const seen = out.versions.find((v) => v.version === meta.version);
      expect(seen).toEqual({ ...meta, aliases: meta.version === '1.0.2' ? ['production'] : [] });
    }
    written.forEach((meta, i) => {
      const files = out.files.find((f) => f.version === meta.version);
      expect(Buffer.from(files?.artifact ?? '', 'base64').toString('utf8')).toBe(inputs[i]!.artifact);
      expect(JSON.parse(Buffer.from(files?.reference ?? '', 'base64').toString('utf8'))).toEqual(inputs[i]!.reference);
    });
    expect(out.history).toEqual([
      expect.objectContaining({ action: 'promote', alias: 'production', from: null, to: '1.0.2', user: 'ana', reason: 'best auc' }),
    ]);

    // Reading never rewrote anything.
    const versionJsonAfter = await Promise.all(
      written.map((m) => fs.readFile(path.join(dir, 'models/chiller/versions', m.version, 'version.json'))),
    );
    expect(versionJsonAfter).toEqual(versionJsonBefore);
  });
});
