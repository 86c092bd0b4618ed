import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerHost } from '../../src-main/backend/host/worker-host';
import type { AlertNoticeEvent } from '../../src-main/contract';
import { ALERT_KINDS, type AlertRule } from '../../src-main/contract/shared/alerts';
import { rejection, startTestWorker, tempDir } from '../helpers/backend';
import { FEATURES } from './monitoring-fixture';

/**
 * Alerts end to end through the worker: a scoring request opens an alert, every
 * kind of hook delivers it (a local HTTP receiver stands in for a chat server), a
 * broken hook is only logged, a person acknowledges it, and it resolves by itself.
 */
let host: WorkerHost;
let registry: string;
let receiver: Server;
let receiverUrl: string;
const posts: { contentType: string | undefined; body: unknown }[] = [];
const notices: AlertNoticeEvent[] = [];
let datasetId = '';
const dropDir = join(tempDir('gl-alert-drop-'), 'inbox');
const commandOut = join(tempDir('gl-alert-cmd-'), 'alert.json');

const rule = (over: Partial<AlertRule> & Pick<AlertRule, 'id' | 'kind' | 'threshold'>): AlertRule => ({
  enabled: true,
  severity: 'warning',
  minDurationMs: 0,
  cooldownMs: 3_600_000,
  ...over,
});

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posts.push({ contentType: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  registry = join(tempDir('gl-alerts-'), 'registry');
  host = startTestWorker(registry);
  host.on((e) => {
    if (e.type === 'alert') notices.push(e);
  });
  const ds = await host.call('data.simulate', { buildings: 3, days: 14 });
  datasetId = ds.id;
  await host.call('model.train', { algorithm: 'isolation-forest', datasetId, trees: 20 });
  mkdirSync(join(registry, 'alerts'), { recursive: true });
  writeFileSync(
    join(registry, 'alerts', 'hooks.json'),
    JSON.stringify({
      formatVersion: 1,
      hooks: [
        { type: 'folder', dir: dropDir },
        { type: 'http', url: receiverUrl },
        // No shell: the notice arrives on stdin; the program copies it to a file.
        {
          type: 'command',
          command: process.execPath,
          args: ['-e', `process.stdin.pipe(require('fs').createWriteStream(${JSON.stringify(commandOut)}))`],
        },
        // Nothing listens on port 9 of loopback: a hook failure that must not fail the scoring.
        { type: 'http', url: 'http://127.0.0.1:9/dead' },
      ],
    }),
  );
}, 60_000);

afterAll(async () => {
  await host.close();
  await new Promise((r) => receiver.close(r));
});

describe('alerts through the worker', () => {
  it('a fresh registry has the default rules, one per kind, from the health thresholds', async () => {
    const r = await host.call('alerts.rules', {});
    expect(r.rules.map((x) => x.kind)).toEqual([...ALERT_KINDS]);
    expect(r.rules.find((x) => x.kind === 'anomaly-rate')!.threshold).toBe(0.1);
    expect(r.rules.find((x) => x.kind === 'latency-p95')!.threshold).toBe(250);
  });

  it('a scoring request opens an alert, delivered to the UI, a folder, an HTTP receiver and a command; a dead hook is not fatal', async () => {
    await host.call('alerts.saveRules', {
      formatVersion: 1,
      rules: [rule({ id: 'rate', kind: 'anomaly-rate', threshold: 0.001, severity: 'critical' })],
    });
    const scored = await host.call('model.score', { datasetId });
    expect(scored.logged).toBeGreaterThan(0);
    expect(notices).toHaveLength(1);
    const n = notices[0]!;
    expect(n).toMatchObject({
      event: 'open',
      unacknowledged: 1,
      alert: { id: 'A1', rule: 'rate', status: 'open', severity: 'critical', threshold: 0.001 },
    });
    expect(n.alert.value).toBeCloseTo(scored.anomalies / scored.rows, 10);

    const dropped = readdirSync(dropDir);
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatch(/^greenlens-alert-A1-open-\d+\.json$/);
    expect(JSON.parse(readFileSync(join(dropDir, dropped[0]!), 'utf8'))).toEqual({ event: 'open', alert: n.alert });

    expect(posts).toHaveLength(1);
    expect(posts[0]!.contentType).toBe('application/json');
    const body = posts[0]!.body as { text: string; greenlens: unknown };
    expect(body.text).toBe(`GreenLens CRITICAL A1: ${n.alert.message}`);
    expect(body.greenlens).toEqual({ event: 'open', alert: n.alert });

    expect(JSON.parse(readFileSync(commandOut, 'utf8'))).toEqual({ event: 'open', alert: n.alert });
  });

  it('scoring again inside the cool-down repeats nothing; the alert stays open', async () => {
    await host.call('model.score', { datasetId });
    expect(notices).toHaveLength(1);
    expect(posts).toHaveLength(1);
    const list = await host.call('alerts.list', { status: 'open' });
    expect(list.alerts.map((a) => a.id)).toEqual(['A1']);
  });

  it('acknowledge with a note: recorded in the history, the badge count drops', async () => {
    const acked = await host.call('alerts.ack', { id: 'A1', note: 'checking the chillers' });
    expect(acked.ack!.note).toBe('checking the chillers');
    const list = await host.call('alerts.list', {});
    expect(list).toMatchObject({ open: 1, unacknowledged: 0 });
    expect(list.alerts[0]!.ack!.note).toBe('checking the chillers');
    const e = await rejection(host.call('alerts.ack', { id: 'A99' }));
    expect(e.message).toBe('No alert A99 in alerts/events.ndjson.');
  });

  it('resolves by itself once the condition clears (on demand)', async () => {
    await host.call('alerts.saveRules', { formatVersion: 1, rules: [rule({ id: 'rate', kind: 'anomaly-rate', threshold: 0.9 })] });
    const check = await host.call('alerts.check', {});
    expect(check.resolved).toEqual(['A1']);
    expect(check.opened).toEqual([]);
    const list = await host.call('alerts.list', {});
    expect(list.alerts[0]).toMatchObject({ id: 'A1', status: 'resolved' });
    expect(list.open).toBe(0);
    const lines = readFileSync(join(registry, 'alerts', 'events.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    expect(lines).toEqual(['open', 'ack', 'resolve']);
  });

  it('job failures from jobs.ndjson (folded by job id) open an alert; an absent file is no observation', async () => {
    await host.call('alerts.saveRules', { formatVersion: 1, rules: [rule({ id: 'jobs', kind: 'job-failures', threshold: 1 })] });
    expect((await host.call('alerts.check', {})).opened).toEqual([]);
    const now = new Date().toISOString();
    writeFileSync(
      join(registry, 'jobs.ndjson'),
      [
        { id: 'j1', status: 'running', startedAt: now },
        { id: 'j1', status: 'failed', endedAt: now, error: 'disk full' },
        { id: 'j2', status: 'succeeded', endedAt: now },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n') + '\n',
    );
    const check = await host.call('alerts.check', {});
    expect(check.opened.map((a) => [a.rule, a.value])).toEqual([['jobs', 1]]);
    // The dead hook failed and was reported; the others delivered.
    expect(check.hookFailures.map((f) => f.hook)).toEqual(['http http://127.0.0.1:9/dead']);
    expect(posts.at(-1)!.body).toMatchObject({ greenlens: { event: 'open', alert: { rule: 'jobs' } } });
  });

  it('a torn last line of the history is skipped and counted', async () => {
    appendFileSync(join(registry, 'alerts', 'events.ndjson'), '{"type":"ack","id":"A1","ti');
    const list = await host.call('alerts.list', {});
    expect(list.tornLines).toBe(1);
    expect(list.alerts.map((a) => a.id)).toEqual(['A2', 'A1']);
    // The next append cuts the torn fragment, so every line stays readable.
    await host.call('alerts.ack', { id: 'A2', note: '' });
    expect((await host.call('alerts.list', {})).tornLines).toBe(0);
  });

  it('per-building rates of the scoring request: one alert per building at or above the threshold', async () => {
    await host.call('alerts.saveRules', { formatVersion: 1, rules: [rule({ id: 'bld', kind: 'building-anomaly-rate', threshold: 0 })] });
    const before = notices.length;
    const scored = await host.call('model.score', { datasetId });
    const opened = notices.slice(before).map((n) => n.alert);
    expect(opened.map((a) => a.subject).sort()).toEqual(['B01', 'B02', 'B03']);
    // The three rates average (weighted by readings, equal here) to the request's rate.
    const mean = opened.reduce((s, a) => s + a.value, 0) / opened.length;
    expect(mean).toBeCloseTo(scored.anomalies / scored.rows, 10);
  });

  it('live readings (POST /api/readings) evaluate the rules too, without holding up the answer', async () => {
    await host.call('alerts.saveRules', { formatVersion: 1, rules: [rule({ id: 'live', kind: 'anomaly-rate', threshold: 0 })] });
    const reading = Object.fromEntries(FEATURES.map((f, i) => [f, 10 + i]));
    const r = await host.call('live.score', { readings: [reading, reading] });
    expect(r.logged).toBe(2);
    await expect.poll(() => notices.filter((n) => n.alert.rule === 'live').length, { timeout: 15_000 }).toBe(1);
  });

  it('a hand-edited rules file with a bad field is refused naming the file and the field; nothing is overwritten', async () => {
    const file = join(registry, 'alerts', 'rules.json');
    writeFileSync(file, JSON.stringify({ formatVersion: 1, rules: [{ id: 'h', kind: 'health', threshold: 0.5 }] }));
    const e = await rejection(host.call('alerts.rules', {}));
    expect(e.message).toBe(`${file}: field "rules.0.threshold": a health rule fires at 1 (warning) or 2 (critical).`);
    const bad = await rejection(
      host.call('alerts.saveRules', { formatVersion: 1, rules: [rule({ id: 'x', kind: 'health', threshold: 3 })] }),
    );
    expect(bad.message).toBe(
      'Invalid input for alerts.saveRules: field "rules.0.threshold": a health rule fires at 1 (warning) or 2 (critical).',
    );
    expect(JSON.parse(readFileSync(file, 'utf8')).rules[0].threshold).toBe(0.5);
  });
});
