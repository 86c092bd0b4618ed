import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';
import { buildFixtureRegistry } from '../backend/registry-fixture';

describe('greenlens registry', () => {
  it('init creates an empty registry and refuses to create one twice', async () => {
    const dir = join(tempDir('gl-cli-init-'), 'fresh');
    const r = runCli(['registry', 'init', dir, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ path: dir, formatVersion: 1, models: [] });
    expect(JSON.parse(await fs.readFile(join(dir, 'greenlens-registry.json'), 'utf8'))).toMatchObject({ formatVersion: 1 });
    const again = runCli(['registry', 'init', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(runCli(['registry', 'init']).code).toBe(2);
  });

  it('verify: exit 0 when sound, exit 1 naming each damaged file', async () => {
    const dir = join(tempDir('gl-cli-verify-'), 'registry');
    await buildFixtureRegistry(dir);
    const ok = runCli(['registry', 'verify', dir, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ registry: dir, ok: true, checked: { models: 1, versions: 3 } });

    const model = join(dir, 'models/energy-anomaly/versions/1.0.0/model.json');
    const reference = join(dir, 'models/energy-anomaly/versions/1.0.2/reference.json');
    for (const file of [model, reference]) {
      const bytes = await fs.readFile(file);
      bytes[5] = bytes[5]! ^ 0x20;
      await fs.writeFile(file, bytes);
    }
    const bad = runCli(['registry', 'verify', dir, '--json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p: { file: string }) => p.file).sort()).toEqual([model, reference].sort());
    const human = runCli(['registry', 'verify', dir]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`ERROR   ${model}:`);
    expect(human.stdout).toContain(`ERROR   ${reference}:`);
  });

  it('export then import elsewhere: same versions and checksums; defaults beside the archive', async () => {
    const base = tempDir('gl-cli-share-');
    const dir = join(base, 'registry');
    await buildFixtureRegistry(dir);
    const archive = join(base, 'site-a.greenlens');
    const exp = runCli(['registry', 'export', dir, '--out', archive, '--json']);
    expect(exp.code).toBe(0);
    expect(JSON.parse(exp.stdout)).toMatchObject({ registry: dir, archive, files: 10 }); // manifest + 3 × (version.json, model.json, reference.json)

    const target = join(base, 'copy');
    const imp = runCli(['registry', 'import', archive, '--to', target, '--json']);
    expect(imp.code).toBe(0);
    const imported = JSON.parse(imp.stdout);
    expect(imported).toMatchObject({ path: target, archive, verify: { ok: true } });
    const list = (reg: string) =>
      JSON.parse(runCli(['versions', 'list', '--registry', reg, '--json']).stdout).versions.map(
        (v: { version: string; artifact: { sha256: string } }) => [v.version, v.artifact.sha256],
      );
    expect(list(target)).toEqual(list(dir));

    const beside = runCli(['registry', 'import', archive]);
    expect(beside.code).toBe(0);
    expect(beside.stdout).toContain(`into ${join(base, 'site-a')}:`);

    expect(runCli(['registry', 'export', dir]).code).toBe(2);
    expect(runCli(['registry', 'import']).code).toBe(2);
    const notThere = runCli(['registry', 'import', join(base, 'missing.greenlens')]);
    expect(notThere.code).toBe(1);
    expect(notThere.stderr).toContain('missing.greenlens');
  });

  it('--help lists the registry and versions commands', () => {
    const help = runCli(['--help']);
    expect(help.stdout).toContain('greenlens versions list');
    expect(help.stdout).toContain('greenlens versions promote');
    expect(help.stdout).toContain('greenlens registry verify DIR');
    expect(help.stdout).toContain('greenlens registry export DIR --out FILE.greenlens');
  });
});
