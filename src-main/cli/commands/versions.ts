import type { CompareResult, VersionList, VersionMeta } from '../../contract/ops/registry';
import { UsageError } from '../args';
import { buildingRows, buildingText } from './compare-buildings';
import { EXIT, type CliIo } from '../io';
import { describeEvent, fmtBytes, fmtNumber, fmtSigned, fmtTime, fmtValue, KEY_PARAMS, keyMetrics } from './registry-format';
import { renderTable } from './table';
import { parseCommandArgs, reasonArg, registryBackend, runOp, subcommands, versionArg } from './registry-shared';

export const versionsHelp = `greenlens versions list     --registry DIR [--model M] [--all]   (no --model: every model)
greenlens versions show     --registry DIR --version V [--model M]
greenlens versions compare  --registry DIR A B | --a A --b B [--model M] [--by building]
greenlens versions promote  --registry DIR --version V [--alias production] --reason TEXT [--model M]
greenlens versions rollback --registry DIR [--alias production] --reason TEXT [--model M]
greenlens versions tag      --registry DIR --version V [--add T]… [--remove T]… [--description TEXT] [--model M]
greenlens versions archive  --registry DIR --version V --reason TEXT [--model M]
greenlens versions history  --registry DIR [--model M]
  Model versions in a registry: list, inspect, compare, move aliases (with a reason), tag, see deployments.`;

const common = { registry: { type: 'string' }, model: { type: 'string' } } as const;

function listText(list: VersionList, registry: string): string {
  if (list.versions.length === 0)
    return `Model ${list.model} has no versions in ${registry} yet. Train one with: greenlens train --registry ${registry} --data FILE.csv`;
  const metrics = keyMetrics(list.versions);
  const headers = ['VERSION', 'CREATED', 'ALIASES', ...KEY_PARAMS, ...metrics, 'ROWS'];
  const rows = list.versions.map((v) => [
    v.version + (v.archived ? ' (archived)' : ''),
    fmtTime(v.createdAt),
    v.aliases.join(',') || '-',
    ...KEY_PARAMS.map((p) => fmtValue(v.params[p] ?? null)),
    ...metrics.map((m) => fmtNumber(v.metrics[m])),
    fmtNumber(v.trainingData.rows),
  ]);
  const numeric = headers.map((_, i) => i >= 3);
  return `Model ${list.model} in ${registry}\n${renderTable(headers, rows, numeric)}`;
}

function showText(v: VersionMeta): string {
  const kv = (rec: Record<string, unknown>): string[] => Object.entries(rec).map(([k, x]) => `  ${k.padEnd(18)} ${fmtValue(x)}`);
  const td = v.trainingData;
  return [
    `${v.model} ${v.version}${v.aliases.length ? `  [${v.aliases.join(', ')}]` : ''}${v.archived ? '  (archived)' : ''}`,
    `created        ${v.createdAt}`,
    `description    ${v.description || '(none)'}`,
    `tags           ${v.tags.join(', ') || '(none)'}`,
    'params',
    ...kv(v.params),
    'metrics',
    ...kv(v.metrics),
    `training data  ${fmtNumber(td.rows)} rows; columns ${td.columns.join(', ')}`,
    `               sha256 ${td.sha256}${td.source ? `; source ${td.source}` : ''}`,
    `artifact       ${v.artifact.file}  ${fmtBytes(v.artifact.bytes)}  sha256 ${v.artifact.sha256}`,
    `reference      ${v.reference.file}  ${fmtBytes(v.reference.bytes)}  sha256 ${v.reference.sha256}`,
  ].join('\n');
}

function compareText(c: CompareResult): string {
  const word = (m: CompareResult['metrics'][number]): string => {
    if (m.caveat && m.delta !== null) return `${m.delta > 0 ? '↑ higher' : '↓ lower'} (${m.caveat})`;
    return m.better === null ? '' : m.better ? '▲ better' : '▼ worse';
  };
  const metrics = c.metrics.map((m) => [m.name, fmtNumber(m.a), fmtNumber(m.b), fmtSigned(m.delta), m.delta === 0 ? 'same' : word(m)]);
  const on = (e: CompareResult['evaluation']['a']): string => {
    const data = `data ${e.dataSha256.slice(0, 8)}${e.source ? ` (${e.source})` : ''}`;
    if (e.on === 'holdout') return `${e.rows === null ? 'its' : fmtNumber(e.rows)} held-out rows of ${data}`;
    if (e.on === 'training') return `its training rows of ${data}`;
    return `not recorded (${data})`;
  };
  const params = c.params.map((p) => [p.key, fmtValue(p.a), fmtValue(p.b)]);
  const td = c.trainingData;
  const data = [
    `rows ${fmtNumber(td.rows.a)} → ${fmtNumber(td.rows.b)} (${fmtSigned(td.rows.delta)})`,
    td.columnsAdded.length ? `columns added: ${td.columnsAdded.join(', ')}` : '',
    td.columnsRemoved.length ? `columns removed: ${td.columnsRemoved.join(', ')}` : '',
    td.shaChanged ? 'data changed' : 'same data',
  ].filter(Boolean);
  return [
    `${c.model}: ${c.a} (A) → ${c.b} (B)`,
    '',
    metrics.length ? renderTable(['METRIC', 'A', 'B', 'B − A', ''], metrics, [false, true, true, true, false]) : 'No metrics.',
    `Measured on: A ${on(c.evaluation.a)}; B ${on(c.evaluation.b)}.` +
      (c.evaluation.same ? '' : ' Different evaluation data: quality metrics are not called better or worse.'),
    '',
    params.length ? renderTable(['PARAM CHANGED', 'A', 'B'], params) : 'Parameters: identical.',
    '',
    `Training data: ${data.join('; ')}`,
  ].join('\n');
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...common, all: { type: 'boolean' } });
  const backend = await registryBackend(io, values.registry);
  const registry = backend.state.registryPath ?? '';
  const includeArchived = values.all === true;
  const models = values.model ? [] : (await runOp(backend, 'registry.info', {})).models.map((m) => m.name);
  if (models.length > 1) {
    // Several models and none named: list them all rather than guess one.
    const lists: VersionList[] = [];
    for (const model of models) lists.push(await runOp(backend, 'versions.list', { model, includeArchived }));
    io.result({ registry, models: lists });
    io.say(lists.map((l) => listText(l, registry)).join('\n\n'));
    return EXIT.ok;
  }
  const result = await runOp(backend, 'versions.list', { model: values.model, includeArchived });
  io.result({ registry, ...result });
  io.say(listText(result, registry));
  return EXIT.ok;
}

async function show(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...common, version: { type: 'string' } });
  const version = versionArg(values.version ?? positionals[0], 'version');
  const backend = await registryBackend(io, values.registry);
  const meta = await runOp(backend, 'versions.show', { model: values.model, version });
  io.result(meta);
  io.say(showText(meta));
  return EXIT.ok;
}

async function compare(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...common,
    a: { type: 'string' },
    b: { type: 'string' },
    by: { type: 'string' },
  });
  if (positionals.length > 2) throw new UsageError(`compare takes two versions, got ${positionals.length}.`);
  if (values.by !== undefined && values.by !== 'building') throw new UsageError(`--by must be "building", got "${values.by}".`);
  const a = versionArg(values.a ?? positionals[0], 'a');
  const b = versionArg(values.b ?? positionals[values.a === undefined ? 1 : 0], 'b');
  const backend = await registryBackend(io, values.registry);
  const result = await runOp(backend, 'versions.compare', { model: values.model, a, b });
  if (values.by === 'building') {
    const buildings = buildingRows(result);
    io.result({ ...result, buildings });
    io.say(buildingText(result, buildings));
    return EXIT.ok;
  }
  io.result(result);
  io.say(compareText(result));
  return EXIT.ok;
}

async function promote(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    ...common,
    version: { type: 'string' },
    alias: { type: 'string' },
    reason: { type: 'string' },
  });
  const version = versionArg(values.version, 'version');
  const reason = reasonArg(values.reason);
  const backend = await registryBackend(io, values.registry);
  const { event } = await runOp(backend, 'versions.promote', { model: values.model, version, alias: values.alias, reason });
  io.result({ event });
  io.say(`${describeEvent(event)}. Reason: ${event.reason}`);
  return EXIT.ok;
}

async function rollback(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...common, alias: { type: 'string' }, reason: { type: 'string' } });
  const reason = reasonArg(values.reason);
  const backend = await registryBackend(io, values.registry);
  const { event } = await runOp(backend, 'versions.rollback', { model: values.model, alias: values.alias, reason });
  io.result({ event });
  io.say(`${describeEvent(event)}. Reason: ${event.reason}`);
  return EXIT.ok;
}

async function archive(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...common, version: { type: 'string' }, reason: { type: 'string' } });
  const version = versionArg(values.version, 'version');
  const reason = reasonArg(values.reason);
  const backend = await registryBackend(io, values.registry);
  const { event } = await runOp(backend, 'versions.archive', { model: values.model, version, reason });
  io.result({ event });
  io.say(`${describeEvent(event)}. Reason: ${event.reason}`);
  return EXIT.ok;
}

async function tag(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    ...common,
    version: { type: 'string' },
    add: { type: 'string', multiple: true },
    remove: { type: 'string', multiple: true },
    description: { type: 'string' },
  });
  const version = versionArg(values.version, 'version');
  if (!values.add && !values.remove && values.description === undefined)
    throw new UsageError('give --add TAG, --remove TAG or --description TEXT.');
  const backend = await registryBackend(io, values.registry);
  const meta = await runOp(backend, 'versions.tag', {
    model: values.model,
    version,
    add: values.add,
    remove: values.remove,
    description: values.description,
  });
  io.result(meta);
  io.say(
    `${meta.model} ${meta.version}: tags ${meta.tags.join(', ') || '(none)'}; description ${meta.description ? JSON.stringify(meta.description) : '(none)'}`,
  );
  return EXIT.ok;
}

async function history(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, common);
  const backend = await registryBackend(io, values.registry);
  const { events } = await runOp(backend, 'deployments.history', { model: values.model });
  io.result({ events });
  if (!events.length) io.say('No deployments yet: promote a version with greenlens versions promote.');
  else
    io.say(
      renderTable(
        ['TIME', 'USER', 'EVENT', 'REASON'],
        events.map((e) => [fmtTime(e.time), e.user, describeEvent(e), e.reason]),
      ),
    );
  return EXIT.ok;
}

export const versionsCommand = subcommands('versions', { list, show, compare, promote, rollback, tag, archive, history });
