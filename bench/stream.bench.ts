/**
 * Live stream benchmark: `npx tsx bench/stream.bench.ts [--readings N] [--quick]`.
 *
 * Publisher, mosquitto and `greenlens stream` (a separate process, from
 * source) on this machine, as in the issue. Prints one JSON object with:
 * - throughput: readings/s from first publish to last result received on the
 *   results topic (QoS 1 both ways), payloads of 50 readings and of 1 reading;
 * - latency: p50/p99 publish → result at 5,000 readings/s (payloads of 10);
 * - restart: broker restarted mid-stream, acknowledged readings not in the log;
 * - shared: two workers with --group vs one, same load.
 * Needs /usr/sbin/mosquitto (or GREENLENS_MOSQUITTO).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MqttClient } from 'mqtt';
import { PredictionLog } from '../src-main/core/monitoring';
import { Broker, connect, end, hasMosquitto, sleep } from '../test/helpers/mosquitto';
import { StreamProcess } from '../test/helpers/stream-process';

const cli = fileURLToPath(new URL('../src-main/cli/index.ts', import.meta.url));
const quick = process.argv.includes('--quick');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
const at = process.argv.indexOf('--readings');
const TOTAL = at >= 0 ? Number(process.argv[at + 1]) : quick ? 40_000 : 100_000;

function run(args: string[]): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`greenlens ${args[0]} failed: ${r.stderr}`);
}

function reading(seq: number, sentAt: number): Record<string, number> {
  const h = seq % 24;
  return {
    outdoor_temp_c: 10 + (h % 12),
    humidity_pct: 40 + (seq % 20),
    occupancy: seq,
    hvac_kw: 20 + (h % 7),
    lighting_kw: 5 + (h % 3),
    plug_load_kw: 4 + (seq % 5) / 5,
    total_kw: 30 + (h % 9),
    timestamp: sentAt,
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function subscribeResults(
  url: string,
  topic: string,
  onResult: (r: { timestamp: string; occupancy?: number }[]) => void,
): Promise<MqttClient> {
  const c = await connect(url, { clientId: `bench-results-${Math.random().toString(36).slice(2)}`, clean: true });
  c.on('message', (_t, payload) => {
    const v = JSON.parse(payload.toString()) as unknown;
    onResult((Array.isArray(v) ? v : [v]) as { timestamp: string }[]);
  });
  await new Promise<void>((r, j) => c.subscribe(topic, { qos: 1 }, (e) => (e ? j(e) : r())));
  return c;
}

async function startWorkers(url: string, registries: string[], extra: string[]): Promise<StreamProcess[]> {
  const ws = registries.map(
    (reg) =>
      new StreamProcess([
        '--registry',
        reg,
        '--mqtt',
        url,
        '--topic',
        'site/+/readings',
        '--id-level',
        '1',
        '--results-topic',
        'results',
        ...extra,
      ]),
  );
  await Promise.all(ws.map((w) => w.waitFor(/subscribed/, 120_000)));
  return ws;
}

/** Publishes `total` readings in payloads of `perPayload`, keeping `window` QoS 1 publishes in flight; resolves with acked reading count. */
async function publishFlat(pub: MqttClient, total: number, perPayload: number, window: number, ratePerS = Infinity): Promise<number> {
  let acked = 0;
  let inFlight = 0;
  let seq = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (inFlight < window && seq < total) {
        if (ratePerS !== Infinity) {
          const due = t0 + (seq / ratePerS) * 1000;
          const wait = due - performance.now();
          if (wait > 1) {
            setTimeout(pump, wait);
            return;
          }
        }
        const n = Math.min(perPayload, total - seq);
        const now = Date.now();
        const items = Array.from({ length: n }, (_, k) => reading(seq + k, now));
        const body = JSON.stringify(perPayload === 1 ? items[0] : items);
        const building = `B0${1 + ((seq / perPayload) % 2)}`;
        seq += n;
        inFlight++;
        pub.publish(`site/${building}/readings`, body, { qos: 1 }, (e) => {
          inFlight--;
          if (!e) acked += n;
          if (seq >= total && inFlight === 0) resolve();
          else pump();
        });
      }
    };
    pump();
  });
  return acked;
}

async function throughput(url: string, registries: string[], perPayload: number, total: number, group?: string) {
  const workers = await startWorkers(url, registries, group ? ['--group', group] : []);
  const cpu0 = process.cpuUsage();
  let got = 0;
  let last = 0;
  const results = await subscribeResults(url, 'results', (rs) => {
    got += rs.length;
    last = performance.now();
  });
  const pub = await connect(url, { clientId: `bench-pub-${Math.random().toString(36).slice(2)}`, clean: true });
  const t0 = performance.now();
  await publishFlat(pub, total, perPayload, perPayload === 1 ? 500 : 100);
  const publishedMs = performance.now() - t0;
  const deadline = Date.now() + 120_000;
  while (got < total && Date.now() < deadline) await sleep(50);
  const elapsed = (last || performance.now()) - t0;
  await end(pub);
  await end(results);
  const codes = await Promise.all(workers.map((w) => w.stop()));
  const cpu = process.cpuUsage(cpu0);
  return {
    workers: registries.length,
    readingsPerPayload: perPayload,
    readings: total,
    resultsReceived: got,
    seconds: +(elapsed / 1000).toFixed(2),
    readingsPerSecond: Math.round(got / (elapsed / 1000)),
    publishSeconds: +(publishedMs / 1000).toFixed(2),
    exitCodes: codes,
    benchProcessCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    workerCpuSeconds: workers.map((w) => w.cpuSeconds()),
  };
}

async function latency(url: string, registry: string, rate: number, seconds: number, extra: string[] = []) {
  const [worker] = await startWorkers(url, [registry], extra);
  const cpu0 = process.cpuUsage();
  const lat: number[] = [];
  const results = await subscribeResults(url, 'results', (rs) => {
    const now = Date.now();
    for (const r of rs) lat.push(now - Date.parse(r.timestamp));
  });
  const pub = await connect(url, { clientId: 'bench-lat', clean: true });
  const total = rate * seconds;
  await publishFlat(pub, total, 10, 1000, rate);
  const deadline = Date.now() + 30_000;
  while (lat.length < total && Date.now() < deadline) await sleep(50);
  await end(pub);
  await end(results);
  await worker!.stop();
  const cpu = process.cpuUsage(cpu0);
  // The first second warms up (JIT, first version load); the rest is the steady state.
  const steady = lat.slice(rate).sort((a, b) => a - b);
  return {
    workerArgs: extra.join(' ') || 'default',
    readingsPerSecond: rate,
    readingsPerPayload: 10,
    seconds,
    results: lat.length,
    p50Ms: percentile(steady, 0.5),
    p99Ms: percentile(steady, 0.99),
    maxMs: steady[steady.length - 1] ?? NaN,
    benchProcessCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    workerCpuSeconds: worker!.cpuSeconds(),
  };
}

async function restart(broker: Broker, registry: string, total: number) {
  const [worker] = await startWorkers(broker.url, [registry], []);
  const pub = await connect(broker.url, { clientId: 'bench-restart-pub', clean: false, reconnectPeriod: 100 });
  const half = Math.floor(total / 2);
  let restarted: Promise<void> | null = null;
  const acked = new Set<number>();
  const inFlight: Promise<void>[] = [];
  for (let s = 0; s < total; s += 10) {
    const items = Array.from({ length: 10 }, (_, k) => reading(s + k, Date.now()));
    inFlight.push(
      new Promise<void>((resolve) =>
        pub.publish(`site/B01/readings`, JSON.stringify(items), { qos: 1 }, (e) => {
          if (!e) for (let k = 0; k < 10; k++) acked.add(s + k);
          resolve();
        }),
      ),
    );
    if (!restarted && s >= half) restarted = broker.restart(1000);
    if (inFlight.length >= 50) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  process.stderr.write(`restart: ${acked.size} acknowledged, waiting for the broker restart\n`);
  await restarted;
  await end(pub);
  process.stderr.write('restart: publisher done\n');
  const logged = async (): Promise<Set<number>> => {
    const log = await PredictionLog.open(join(registry, 'predictions'));
    const cols = await log.readRange(-Infinity, Infinity, { columns: ['occupancy'] });
    await log.close();
    return new Set(cols.features.occupancy);
  };
  const deadline = Date.now() + 60_000;
  let seen = await logged();
  while ([...acked].some((s) => !seen.has(s)) && Date.now() < deadline) {
    await sleep(500);
    seen = await logged();
  }
  process.stderr.write(`restart: ${seen.size} logged, stopping the worker\n`);
  const code = await worker!.stop();
  seen = await logged();
  const lost = [...acked].filter((s) => !seen.has(s)).length;
  return {
    published: total,
    acknowledged: acked.size,
    logged: seen.size,
    acknowledgedLost: lost,
    exitCode: code,
    brokerErrors: /Error/.test(broker.log),
  };
}

async function main(): Promise<void> {
  if (!hasMosquitto) {
    console.log(JSON.stringify({ bench: 'stream', skipped: 'no mosquitto' }));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'greenlens-stream-bench-'));
  const brokers: Broker[] = [];
  try {
    const csv = join(dir, 'sim.csv');
    const registry = join(dir, 'registry');
    run(['simulate', '--out', csv, '--buildings', '2', '--days', '30', '--seed', '1']);
    run(['train', '--registry', registry, '--data', csv]);
    const copy = (name: string): string => {
      const to = join(dir, name);
      cpSync(registry, to, { recursive: true });
      return to;
    };
    // A fresh broker per phase: workers' persistent sessions outlive them, and a broker would keep
    // queueing every later reading for the sessions of earlier phases.
    let phase = 0;
    const broker = async (): Promise<Broker> => {
      const b = await Broker.start(join(dir, `broker-${phase++}`));
      brokers.push(b);
      return b;
    };
    const out: Record<string, unknown> = {
      bench: 'stream',
      trees: 100,
      features: 7,
      note: 'publisher, mosquitto and greenlens stream on one machine',
      loadAverageAtStart: loadavg().map((l) => +l.toFixed(1)),
    };
    const step = async (name: string, fn: () => Promise<unknown>): Promise<void> => {
      if (only && !name.startsWith(only)) return;
      out[name] = await fn();
      process.stderr.write(`${name}: ${JSON.stringify(out[name])}\n`);
    };
    await step('throughputBatched', async () => throughput((await broker()).url, [copy('t1')], 50, TOTAL));
    await step('throughputSingle', async () => throughput((await broker()).url, [copy('t2')], 1, Math.min(TOTAL, quick ? 10_000 : 30_000)));
    await step('latency', async () => latency((await broker()).url, copy('lat'), 5000, quick ? 4 : 10));
    // The earlier fixed 50 ms gathering window, same load, run right after for comparison.
    await step('latencyFixed50ms', async () =>
      latency((await broker()).url, copy('lat50'), 5000, quick ? 4 : 10, ['--max-delay-ms', '50']),
    );
    await step('sharedOne', async () => throughput((await broker()).url, [copy('s1')], 50, TOTAL, 'one'));
    await step('sharedTwo', async () => throughput((await broker()).url, [copy('s2a'), copy('s2b')], 50, TOTAL, 'two'));
    await step('restart', async () => restart(await broker(), copy('r'), quick ? 10_000 : 20_000));
    const rate = (name: string): number | undefined => (out[name] as { readingsPerSecond?: number } | undefined)?.readingsPerSecond;
    const one = rate('sharedOne');
    const two = rate('sharedTwo');
    if (one && two) out.sharedSpeedup = +(two / one).toFixed(2);
    out.loadAverageAtEnd = loadavg().map((l) => +l.toFixed(1));
    const lat = out.latency as { p99Ms: number } | undefined;
    const restarted = out.restart as { acknowledgedLost: number } | undefined;
    out.targets = {
      ...(rate('throughputBatched') !== undefined ? { sustained20k: rate('throughputBatched')! >= 20_000 } : {}),
      ...(lat ? { p99Under100ms: lat.p99Ms < 100 } : {}),
      ...(restarted ? { zeroLostOnRestart: restarted.acknowledgedLost === 0 } : {}),
    };
    console.log(JSON.stringify(out));
  } finally {
    for (const b of brokers) await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
