import { escapeControls } from '../escape';
import { resolve } from 'node:path';
import type { VerifyResult } from '../../contract/ops/registry';
import { requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import { EXIT, type CliIo } from '../io';
import { fmtBytes } from './registry-format';
import { mergeLogCommand, mergeLogHelp } from './merge-log';
import { parseCommandArgs, registryBackend, runOp, subcommands } from './registry-shared';

export const registryHelp = `greenlens registry init   DIR
greenlens registry verify DIR
greenlens registry export DIR --out FILE.greenlens
greenlens registry import FILE.greenlens [--to DIR]
  Create a registry, check every file against its checksum (exit 1 on problems),
  and share a whole registry as one .greenlens file.
${mergeLogHelp}`;

/** The registry folder: the positional DIR, or --registry for symmetry with the other commands. */
function dirArg(positionals: string[], registry: string | undefined, what: string): string {
  const dir = positionals[0] ?? registry;
  if (!dir) throw new UsageError(`name the registry folder: greenlens registry ${what} DIR`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}".`);
  return dir;
}

function verifyText(dir: string, r: VerifyResult): string {
  const { models, versions, files } = r.checked;
  const counted = `${models} model(s), ${versions} version(s), ${files} file(s) checked`;
  const lines = r.problems.map((p) => `${p.severity === 'error' ? 'ERROR  ' : 'WARNING'} ${p.file}: ${p.message}`);
  const head = r.ok
    ? `OK: ${dir}: ${counted}.`
    : `PROBLEMS in ${dir}: ${counted}; ${r.problems.filter((p) => p.severity === 'error').length} error(s).`;
  return [head, ...lines].join('\n');
}

async function init(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { registry: { type: 'string' } });
  const dir = resolve(dirArg(positionals, values.registry, 'init'));
  const info = await new CliBackend(io).run('registry.create', { path: dir });
  io.result(info);
  io.say(`Created an empty registry in ${info.path}.`);
  return EXIT.ok;
}

async function verify(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { registry: { type: 'string' } });
  const backend = await registryBackend(io, dirArg(positionals, values.registry, 'verify'));
  const result = await runOp(backend, 'registry.verify', {});
  const registry = backend.state.registryPath ?? '';
  io.result({ registry, ...result });
  io.say(verifyText(registry, result));
  if (!result.ok) process.stderr.write(`greenlens registry verify: ${escapeControls(registry)} has problems (see above).\n`);
  return result.ok ? EXIT.ok : EXIT.failure;
}

async function exportCmd(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { registry: { type: 'string' }, out: { type: 'string', short: 'o' } });
  const out = resolve(requiredArg(values.out, 'out'));
  const backend = await registryBackend(io, dirArg(positionals, values.registry, 'export'));
  const result = await runOp(backend, 'registry.export', { archive: out });
  io.result({ registry: backend.state.registryPath, ...result });
  io.say(`Exported ${backend.state.registryPath} (${result.files} files) to ${result.archive} (${fmtBytes(result.bytes)}).`);
  return EXIT.ok;
}

async function importCmd(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { to: { type: 'string' } });
  const archive = positionals[0];
  if (!archive) throw new UsageError('name the archive: greenlens registry import FILE.greenlens [--to DIR]');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"; name the target folder with --to DIR.`);
  const backend = new CliBackend(io);
  const result = await runOp(backend, 'registry.import', {
    archive: resolve(archive),
    ...(values.to ? { target: resolve(values.to) } : {}),
  });
  io.result(result);
  const versions = result.models.reduce((n, m) => n + m.versionCount, 0);
  io.say(
    `Imported ${result.archive} into ${result.path}: ${result.models.length} model(s), ${versions} version(s), every checksum verified.`,
  );
  for (const p of result.verify.problems) io.say(`WARNING ${p.file}: ${p.message}`);
  return EXIT.ok;
}

export const registryCommand = subcommands('registry', {
  init,
  verify,
  export: exportCmd,
  import: importCmd,
  'merge-log': mergeLogCommand,
});
