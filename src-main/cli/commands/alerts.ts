import { resolve } from 'node:path';
import type { AlertView } from '../../contract/shared/alerts';
import { checkRegistryDir } from '../../backend/registry/existing-dir';
import { parseCommandArgs, requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import type { CliIo } from '../io';
import { renderTable } from './table';
import { HOUR_MS } from '../../contract/shared/time';

export const alertsHelp = `greenlens alerts list  --registry DIR [--status open|all]
greenlens alerts ack   ID --registry DIR [--note TEXT]
greenlens alerts check --registry DIR
greenlens alerts rules --registry DIR
  Alerts from the registry's history (alerts/events.ndjson), newest first; ack records who
  acknowledged an alert and why; check evaluates every rule now (scoring does it after each
  request); rules prints alerts/rules.json (the defaults until it is saved) and the hooks.`;

export async function alertsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    registry: { type: 'string' },
    status: { type: 'string' },
    note: { type: 'string' },
  });
  const [sub, ...rest] = positionals;
  const registry = await checkRegistryDir(resolve(requiredArg(values.registry, 'registry')));
  const backend = new CliBackend(io, registry);
  switch (sub) {
    case 'list': {
      const status = values.status ?? 'all';
      if (status !== 'open' && status !== 'all') throw new UsageError(`--status must be open or all, got "${status}".`);
      const list = await backend.run('alerts.list', { status });
      io.result(list);
      io.say(
        list.alerts.length === 0
          ? status === 'open'
            ? 'No open alerts.'
            : 'No alerts yet.'
          : `${renderAlerts(list.alerts)}\n\n${list.open} open, ${list.unacknowledged} not acknowledged.`,
      );
      return 0;
    }
    case 'ack': {
      const id = rest[0];
      if (!id) throw new UsageError('alerts ack needs the alert id, e.g. `greenlens alerts ack A3 --note "on it"`.');
      const a = await backend.run('alerts.ack', { id, note: values.note ?? '' });
      io.result(a);
      io.say(`Acknowledged ${a.id} (${a.status})${a.ack?.note ? `: ${a.ack.note}` : ''}.`);
      return 0;
    }
    case 'check': {
      const r = await backend.run('alerts.check', {});
      io.result(r);
      const parts = [
        ...r.opened.map((a) => `opened ${a.id}: ${a.message}`),
        ...r.repeated.map((a) => `still firing ${a.id}: ${a.message}`),
        ...r.resolved.map((id) => `resolved ${id}`),
        ...r.hookFailures.map((f) => `hook failed: ${f.hook}: ${f.error}`),
      ];
      io.say(parts.length ? parts.join('\n') : `Nothing changed (${r.observations} observations, ${r.elapsedMs} ms).`);
      return 0;
    }
    case 'rules': {
      const rules = await backend.run('alerts.rules', {});
      const hooks = await backend.run('alerts.hooks', {});
      io.result({ ...rules, hooks: hooks.hooks });
      io.say(
        renderTable(
          ['Rule', 'Kind', 'On', 'Severity', 'Threshold', 'Min duration', 'Cool-down', 'Scope'],
          rules.rules.map((r) => [
            r.id,
            r.kind,
            r.enabled ? 'yes' : 'no',
            r.severity,
            String(r.threshold),
            duration(r.minDurationMs),
            duration(r.cooldownMs),
            [r.model, r.feature, r.building].filter((x) => x !== undefined).join(' ') || 'all',
          ]),
          [false, false, false, false, true, true, true],
        ) + `\n\nHooks: ${hooks.hooks.length === 0 ? 'none (alerts/hooks.json)' : hooks.hooks.map((h) => h.type).join(', ')}`,
      );
      return 0;
    }
    default:
      throw new UsageError(`alerts needs list, ack, check or rules${sub ? `, got "${sub}"` : ''}.`);
  }
}

function renderAlerts(alerts: AlertView[]): string {
  return renderTable(
    ['Id', 'Status', 'Severity', 'Opened', 'Model', 'Subject', 'Value', 'Message', 'Ack'],
    alerts.map((a) => [
      a.id,
      a.status,
      a.severity,
      a.openedAt.replace('T', ' ').slice(0, 19) + 'Z',
      a.model ?? '—',
      a.subject,
      String(Number(a.value.toPrecision(3))),
      a.message,
      a.ack ? a.ack.note || 'yes' : '',
    ]),
    [false, false, false, false, false, false, true],
  );
}

function duration(ms: number): string {
  if (ms === 0) return '0';
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
