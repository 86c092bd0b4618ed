import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FAULT_TYPES, type FeedbackSummary } from '../../contract/shared/alerts';
import { FeedbackMarkSchema } from '../../contract/ops/alerts';
import { checkRegistryDir } from '../../backend/registry/existing-dir';
import { parseCommandArgs, requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import type { CliIo } from '../io';
import { flagValue } from '../schema-args';

export const feedbackHelp = `greenlens feedback mark --registry DIR [--model M] --version X.Y.Z
                        (--fault TYPE | --false-alarm) [--note TEXT]
                        (--reading [BUILDING@]TIME ... | --readings FILE.csv)
greenlens feedback list --registry DIR [--model M]
  Verdicts on flagged readings, kept in feedback.ndjson: a confirmed fault (TYPE one of
  ${FAULT_TYPES.join(', ')}) or a false alarm. A reading is named
  by its building and its own timestamp (ISO 8601 or epoch ms), e.g. b03@2024-01-05T14:00:00Z;
  --reading repeats, or --readings takes a CSV with columns building,time. Performance counts
  them (precision where no labels exist); train --include-feedback uses them as labels.`;

export async function feedbackCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    registry: { type: 'string' },
    model: { type: 'string' },
    version: { type: 'string' },
    fault: { type: 'string' },
    'false-alarm': { type: 'boolean' },
    note: { type: 'string' },
    reading: { type: 'string', multiple: true },
    readings: { type: 'string' },
  });
  const [sub] = positionals;
  const registry = await checkRegistryDir(resolve(requiredArg(values.registry, 'registry')));
  const backend = new CliBackend(io, registry);
  const model = values.model ? { model: values.model } : {};
  if (sub === 'list') {
    const r = await backend.run('feedback.list', model);
    io.result(r);
    io.say(`${r.records.length} readings with feedback. ${describeSummary(r.summary)}`);
    return 0;
  }
  if (sub !== 'mark') throw new UsageError(`feedback needs mark or list${sub ? `, got "${sub}"` : ''}.`);
  if ((values.fault === undefined) === (values['false-alarm'] !== true)) throw new UsageError('Give one of --fault TYPE or --false-alarm.');
  const field = FeedbackMarkSchema.shape;
  const version = requiredArg(values.version, 'version');
  const keys = [
    ...(values.reading ?? []).map((r) => readingArg(r, '--reading')),
    ...(values.readings ? await readingsFile(resolve(values.readings)) : []),
  ];
  if (keys.length === 0) throw new UsageError('Name the readings: --reading [BUILDING@]TIME (repeatable) or --readings FILE.csv.');
  const r = await backend.run('feedback.mark', {
    ...model,
    verdict: values.fault !== undefined ? 'fault' : 'false_alarm',
    ...(values.fault !== undefined ? { faultType: flagValue(field.faultType, 'fault', values.fault) } : {}),
    note: values.note ?? '',
    readings: keys.map((k) => ({ ...k, version })),
  });
  io.result(r);
  io.say(`Marked ${r.marked} reading${r.marked === 1 ? '' : 's'}. ${describeSummary(r.summary)}`);
  return 0;
}

function describeSummary(s: FeedbackSummary): string {
  if (s.precision === null) return 'No verdicts yet.';
  return `${s.confirmed} confirmed, ${s.falseAlarms} false alarms: precision of the reviewed flags ${(s.precision * 100).toFixed(1)}%.`;
}

/** `b03@2024-01-05T14:00:00Z`, `@1704463200000` or a bare time (no building). */
function readingArg(text: string, where: string): { building: string | null; dataTime: number } {
  const at = text.lastIndexOf('@');
  const building = at > 0 ? text.slice(0, at).trim() : null;
  const time = (at >= 0 ? text.slice(at + 1) : text).trim();
  const ms = /^-?\d+$/.test(time) ? Number(time) : Date.parse(time);
  if (!Number.isFinite(ms)) throw new UsageError(`${where}: "${text}" has no valid time (ISO 8601 or epoch ms after the @).`);
  return { building, dataTime: ms };
}

async function readingsFile(file: string): Promise<{ building: string | null; dataTime: number }[]> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const b = header.indexOf('building');
  const t = header.indexOf('time');
  if (t < 0) throw new UsageError(`${file}: the first line must name the columns building,time (building may be left out).`);
  return lines.map((line, i) => {
    const cells = line.split(',');
    const building = b >= 0 ? cells[b]?.trim() || null : null;
    return readingArg(`${building ?? ''}@${cells[t]?.trim() ?? ''}`, `${file} line ${i + 2}`);
  });
}
