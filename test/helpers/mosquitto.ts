import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';

/**
 * A real mosquitto for tests: own config, loopback port, persistence in a
 * temp folder (so a restart keeps queued QoS 1 messages of persistent
 * sessions). Tests skip, with a line saying so, where mosquitto is missing.
 */
export const MOSQUITTO = process.env.GREENLENS_MOSQUITTO ?? '/usr/sbin/mosquitto';
export const hasMosquitto = existsSync(MOSQUITTO);
if (!hasMosquitto) console.log(`SKIP MQTT tests: no mosquitto at ${MOSQUITTO} (apt-get install mosquitto, or set GREENLENS_MOSQUITTO)`);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class Broker {
  private proc: ChildProcess | null = null;
  private probe: { username: string; password: string } | null = null;
  log = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** `users`: name → password; anonymous clients are then refused. */
  static async start(dir: string, users?: Record<string, string>): Promise<Broker> {
    mkdirSync(dir, { recursive: true });
    const b = new Broker(dir, await freePort());
    writeFileSync(
      join(dir, 'mosquitto.conf'),
      [
        `listener ${b.port} 127.0.0.1`,
        ...(users ? ['allow_anonymous false', `password_file ${join(dir, 'passwd')}`] : ['allow_anonymous true']),
        'persistence true',
        `persistence_location ${dir}/`,
        'autosave_interval 1',
        'max_queued_messages 0',
        'max_inflight_messages 0',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        // As root, mosquitto switches to the "mosquitto" user, which cannot write our temp folder: persistence would silently fail.
        ...(process.getuid?.() === 0 ? ['user root'] : []),
      ].join('\n') + '\n',
    );
    if (users) {
      const file = join(dir, 'passwd');
      writeFileSync(file, '');
      for (const [name, password] of Object.entries(users)) {
        const r = spawnSync('/usr/bin/mosquitto_passwd', ['-b', file, name, password], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr}`);
      }
      b.probe = { username: Object.keys(users)[0]!, password: Object.values(users)[0]! };
    }
    await b.launch();
    return b;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    const proc = spawn(MOSQUITTO, ['-c', join(this.dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
    this.proc = proc;
    const until = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`mosquitto exited (${proc.exitCode}): ${this.log}`);
      try {
        const c = await connect(this.url, {
          clientId: `probe-${Math.random().toString(36).slice(2)}`,
          clean: true,
          reconnectPeriod: 0,
          ...(this.probe ?? {}),
        });
        await end(c);
        return;
      } catch {
        if (Date.now() > until) throw new Error(`mosquitto did not start on ${this.port}: ${this.log}`);
        await sleep(50);
      }
    }
  }

  /** SIGTERM (mosquitto saves its persistence file) and wait for exit. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
    this.proc = null;
  }

  async restart(downMs = 300): Promise<void> {
    await this.stop();
    await sleep(downMs);
    await this.launch();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function connect(url: string, options: mqtt.IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { protocolVersion: 4, ...options });
    // Only the first connect decides; later errors (a broker restart) are the client's to retry.
    const fail = (e: Error): void => {
      c.end(true);
      reject(e);
    };
    const closed = (): void => fail(new Error('closed'));
    c.once('connect', () => {
      c.off('error', fail);
      c.off('close', closed);
      c.on('error', () => undefined);
      resolve(c);
    });
    c.once('error', fail);
    if (options.reconnectPeriod === 0) c.once('close', closed);
  });
}

export function end(c: MqttClient): Promise<void> {
  return new Promise((r) => c.end(false, {}, () => r()));
}

/** Publishes with QoS 1 and resolves once the broker acknowledged (PUBACK). */
export function publishAcked(c: MqttClient, topic: string, payload: string): Promise<void> {
  return new Promise((resolve, reject) => c.publish(topic, payload, { qos: 1 }, (e) => (e ? reject(e) : resolve())));
}
