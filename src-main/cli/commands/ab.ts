import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GreenLensError } from '../../contract';
import { AbReportSchema, AbStartSchema } from '../../contract/ops/ab';
import type { AbReport, AbRun } from '../../contract/shared/ab';
import { parseCommandArgs, requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import type { CliIo } from '../io';
import { flagValue } from '../schema-args';

export const abHelp = `greenlens ab start  --registry DIR --challenger V [--model M] [--alias production] [--share 0.1]
                    [--by building|reading] [--reason TEXT]
greenlens ab shadow --registry DIR --challenger V [--model M] [--alias production] [--reason TEXT]
greenlens ab stop   --registry DIR [--model M] [--alias production]
greenlens ab list   --registry DIR [--model M]
greenlens ab report --registry DIR [--model M] [--alias production] [--id RUN] [--resamples 200] [--seed 42]
  A/B: every scoring of the alias (score, the app's Data tab, live streams,
  watch) lets the challenger decide a share of the readings, chosen by
  building id or by reading (the same key always gets the same arm). Shadow:
  the challenger scores every reading and decides none. Both arms are logged
  with their arm; the report compares anomaly rates (two-proportion z-test),
  F1 with bootstrap intervals where labels or feedback exist, and a shadow's
  agreement, and says when the sample is too small to decide. Promote with
  \`greenlens promote ... --reason\` as usual.`;

const ACTIONS = ['start', 'shadow', 'stop', 'list', 'report'] as const;

export async function abCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    registry: { type: 'string' },
    model: { type: 'string' },
    alias: { type: 'string' },
    challenger: { type: 'string' },
    share: { type: 'string' },
    by: { type: 'string' },
    reason: { type: 'string' },
    id: { type: 'string' },
    resamples: { type: 'string' },
    seed: { type: 'string' },
  });
  const action = positionals[0];
  if (!(ACTIONS as readonly (string | undefined)[]).includes(action))
    throw new UsageError(`expected one of ${ACTIONS.join(', ')}, got ${action === undefined ? 'nothing' : `"${action}"`}.`);
  const registry = resolve(requiredArg(values.registry, 'registry'));
  if (!existsSync(registry)) throw new GreenLensError('not_found', `No registry at ${registry}.`, { file: registry });
  const f = AbStartSchema.shape;
  const model = values.model === undefined ? {} : { model: flagValue(f.model, 'model', values.model)! };
  const alias = flagValue(f.alias, 'alias', values.alias);
  const backend = new CliBackend(io, registry);
  const started = async (op: 'ab.start' | 'ab.shadow'): Promise<AbRun> => {
    const challenger = flagValue(f.challenger, 'challenger', requiredArg(values.challenger, 'challenger'));
    const reason = flagValue(f.reason, 'reason', values.reason);
    const input =
      op === 'ab.start'
        ? { ...model, alias, challenger, reason, share: flagValue(f.share, 'share', values.share), by: flagValue(f.by, 'by', values.by) }
        : { ...model, alias, challenger, reason };
    if (op === 'ab.shadow' && (values.share !== undefined || values.by !== undefined))
      throw new UsageError('--share and --by are for ab start: a shadow scores every reading.');
    return (await backend.run(op, input)).run;
  };
  switch (action) {
    case 'start':
    case 'shadow': {
      const run = await started(action === 'start' ? 'ab.start' : 'ab.shadow');
      io.result({ run });
      io.say(describeRun(run));
      return 0;
    }
    case 'stop': {
      const { run } = await backend.run('ab.stop', { ...model, alias });
      io.result({ run });
      io.say(`Stopped ${run.mode === 'ab' ? 'the A/B' : 'the shadow'} run of ${run.model} ${run.alias} (challenger ${run.challenger}).`);
      return 0;
    }
    case 'list': {
      const { runs } = await backend.run('ab.list', model);
      io.result({ runs });
      if (runs.length === 0) io.say('No A/B or shadow runs yet.');
      for (const r of runs) io.say(`${r.startedAt}  ${(r.stoppedAt ? 'stopped' : 'active').padEnd(8)}${describeRun(r)}  (${r.id})`);
      return 0;
    }
    default: {
      const rf = AbReportSchema.shape;
      const report = await backend.run('ab.report', {
        ...model,
        alias,
        ...(values.id !== undefined ? { id: flagValue(rf.id, 'id', values.id)! } : {}),
        resamples: flagValue(rf.resamples, 'resamples', values.resamples),
        seed: flagValue(rf.seed, 'seed', values.seed),
      });
      io.result(report);
      for (const line of describeReport(report)) io.say(line);
      return 0;
    }
  }
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

function describeRun(r: AbRun): string {
  return r.mode === 'ab'
    ? `A/B on ${r.model} ${r.alias}: challenger ${r.challenger} decides ${pct(r.share)} of readings by ${r.by} (champion ${r.champion} at start).`
    : `Shadow on ${r.model} ${r.alias}: challenger ${r.challenger} scores every reading and decides none (champion ${r.champion} at start).`;
}

export function describeReport(r: AbReport): string[] {
  const lines = [describeRun(r.run)];
  for (const a of r.arms) {
    if (a.readings === 0 && a.arm !== 'champion') continue;
    const f1 = a.f1
      ? `, F1 ${a.f1.value.toFixed(3)} [${a.f1.low.toFixed(3)}, ${a.f1.high.toFixed(3)}] on ${a.labelled.toLocaleString('en-US')} labelled`
      : '';
    const versions = a.versions.length ? ` (${a.versions.join(', ')})` : '';
    lines.push(
      `  ${a.arm.padEnd(10)}${versions}: ${a.readings.toLocaleString('en-US')} readings, ${a.flagged.toLocaleString('en-US')} flagged (${pct(a.anomalyRate)})${f1}`,
    );
  }
  if (r.shadow && r.shadow.matched > 0)
    lines.push(
      `  shadow agreement on ${r.shadow.matched.toLocaleString('en-US')} readings: Jaccard ${r.shadow.jaccard!.toFixed(3)}, mean score shift ${r.shadow.meanScoreShift!.toFixed(4)}, ${r.shadow.flagsChanged.toLocaleString('en-US')} flags would change`,
    );
  if (r.verdict.test) lines.push(`  two-proportion z = ${r.verdict.test.z.toFixed(3)}, p = ${r.verdict.test.pValue.toPrecision(3)}`);
  lines.push(r.verdict.message);
  return lines;
}
