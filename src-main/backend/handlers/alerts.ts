import { GreenLensError } from '../../contract';
import type { alertOps } from '../../contract/ops/alerts';
import type { AlertRulesFile, FeedbackRecord } from '../../contract/shared/alerts';
import { foldAlerts } from '../../core/alerts/history';
import { latestFeedback, summarizeFeedback } from '../../core/feedback/summary';
import { defaultUser, withLock } from '../../core/registry';
import { checkAlerts } from '../alerts/evaluate';
import { appendAlertEvents, readAlertEvents, readHooks, readRules, writeRules } from '../alerts/store';
import { appendFeedback, readFeedback } from '../feedback/store';
import { pickModel } from '../registry/pick-model';
import { currentRegistry } from '../registry-access';
import type { Handlers } from './types';

export const alertHandlers: Handlers<keyof typeof alertOps> = {
  'alerts.list': async (args, _ctx, state) => {
    const root = (await currentRegistry(state)).dir;
    const history = await readAlertEvents(root);
    const list = foldAlerts(history.events, history.tornLines);
    return args.status === 'open' ? { ...list, alerts: list.alerts.filter((a) => a.status === 'open') } : list;
  },
  'alerts.check': async (_args, ctx, state) => checkAlerts(state, ctx),
  'alerts.ack': async (args, ctx, state) => {
    const root = (await currentRegistry(state)).dir;
    const alert = await withLock(root, async () => {
      const found = foldAlerts((await readAlertEvents(root)).events).alerts.find((a) => a.id === args.id);
      if (!found) throw new GreenLensError('not_found', `No alert ${args.id} in alerts/events.ndjson.`, { field: 'id' });
      const ack = { time: new Date().toISOString(), note: args.note, user: defaultUser() };
      await appendAlertEvents(root, [{ type: 'ack', id: args.id, ...ack }]);
      return { alert: { ...found, ack }, unacknowledged: foldAlerts((await readAlertEvents(root)).events).unacknowledged };
    });
    ctx.emit({ type: 'alert-count', unacknowledged: alert.unacknowledged });
    ctx.emit({ type: 'changed', topic: 'alerts' });
    return alert.alert;
  },
  'alerts.rules': async (_args, _ctx, state) => readRules((await currentRegistry(state)).dir, state.settings.thresholds),
  'alerts.saveRules': async (args, ctx, state) => {
    const root = (await currentRegistry(state)).dir;
    const file = args as AlertRulesFile;
    await withLock(root, () => writeRules(root, file));
    ctx.emit({ type: 'changed', topic: 'alerts' });
    return file;
  },
  'alerts.hooks': async (_args, _ctx, state) => readHooks((await currentRegistry(state)).dir),
  'feedback.mark': async (args, ctx, state) => {
    const registry = await currentRegistry(state);
    const model = await pickModel(registry, args.model);
    const time = new Date().toISOString();
    const user = defaultUser();
    const records: FeedbackRecord[] = args.readings.map((r) => ({
      model,
      version: r.version,
      building: r.building,
      dataTime: r.dataTime,
      verdict: args.verdict,
      faultType: args.verdict === 'fault' ? (args.faultType ?? 'other') : null,
      note: args.note,
      user,
      time,
    }));
    const all = await withLock(registry.dir, async () => {
      await appendFeedback(registry.dir, records);
      return (await readFeedback(registry.dir)).records;
    });
    ctx.emit({ type: 'changed', topic: 'feedback' });
    return { marked: records.length, summary: summarizeFeedback(latestFeedback(all, model).values()) };
  },
  'feedback.list': async (args, _ctx, state) => {
    const registry = await currentRegistry(state);
    const model = await pickModel(registry, args.model);
    const read = await readFeedback(registry.dir);
    const latest = latestFeedback(read.records, model);
    return { records: [...latest.values()], summary: summarizeFeedback(latest.values()), tornLines: read.tornLines };
  },
};
