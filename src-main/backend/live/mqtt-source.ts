import type { IClientOptions, MqttClient } from 'mqtt';
import { GreenLensError } from '../../contract';

/**
 * The MQTT side of `greenlens stream`: QoS 1 subscription on a persistent
 * session (clean: false, fixed client id), so the broker queues readings
 * while this worker is away and redelivers what it never acknowledged;
 * reconnects with exponential backoff after a broker restart or a cut.
 * Shared by the CLI (`greenlens stream`, `replay`) and the app's live source.
 */
export interface MqttSourceOptions {
  url: string;
  clientId: string;
  /** Subscribed with QoS 1 on every connect; none for a publisher only. */
  topic?: string;
  /** A persistent session (clean: false), default true; a publisher that keeps no state passes false. */
  persistent?: boolean;
  username?: string;
  password?: string;
  ca?: string;
  onMessage?(topic: string, payload: Buffer): void;
  onStatus(line: string): void;
  /** Gives up connecting (the first connect can wait for a broker indefinitely): rejects and closes the client. */
  signal?: AbortSignal;
  /** Connection state changes after the first connect (for a status display). */
  onState?(state: 'connected' | 'reconnecting'): void;
}

export interface MqttSource {
  /** Queues a QoS 1 publish; false when the client is closing. */
  publish(topic: string, payload: string): boolean;
  /** A QoS 1 publish that resolves once the broker acknowledged it. */
  publishAcked(topic: string, payload: string): Promise<void>;
  /** Waits for in-flight publishes (at most `CLOSE_WAIT_MS`), then disconnects; true when all were acknowledged. */
  close(): Promise<boolean>;
}

const FIRST_RETRY_MS = 250;
export const CLOSE_WAIT_MS = 5_000;
const MAX_RETRY_MS = 30_000;
/** CONNACK codes that retrying cannot fix (MQTT 3.1.1: 4 bad credentials, 5 not authorised). */
const FATAL_CONNACK = new Set([2, 4, 5]);

export async function connectMqtt(o: MqttSourceOptions): Promise<MqttSource> {
  const options: IClientOptions = {
    clientId: o.clientId,
    clean: o.persistent === false,
    protocolVersion: 4,
    reconnectPeriod: FIRST_RETRY_MS,
    connectTimeout: 10_000,
    keepalive: 30,
    resubscribe: true,
    ...(o.username !== undefined ? { username: o.username } : {}),
    ...(o.password !== undefined ? { password: o.password } : {}),
    ...(o.ca !== undefined ? { ca: o.ca } : {}),
  };
  // Loaded here, not at start-up: the mqtt package costs ~0.3 s of CPU to load, which every other command would pay.
  const { default: mqtt } = await import('mqtt');
  const client: MqttClient = mqtt.connect(o.url, options);
  let closing = false;
  let everConnected = false;
  let retry = FIRST_RETRY_MS;

  const onMessage = o.onMessage;
  // Once closing, a reading that still arrives is neither scored nor acknowledged: mqtt.js would write its
  // PUBACK after the DISCONNECT and the socket's end ("MQTT error: write after end" / EPIPE), and a persistent
  // session's broker redelivers an unacknowledged reading on the next connect instead of losing it.
  if (onMessage) client.on('message', (topic, payload) => (closing ? undefined : onMessage(topic, payload)));
  client.handleMessage = (_packet, done) => (closing ? done(new Error('closing: left for the broker to redeliver')) : done());
  client.on('reconnect', () => {
    // Exponential backoff between attempts, reset by a successful connect.
    retry = Math.min(MAX_RETRY_MS, retry * 2);
    client.options.reconnectPeriod = retry;
  });
  client.on('offline', () => {
    if (closing) return;
    o.onStatus(`connection to ${o.url} lost; reconnecting with backoff`);
    o.onState?.('reconnecting');
  });

  await new Promise<void>((resolveConnect, reject) => {
    o.signal?.addEventListener('abort', () => {
      if (everConnected) return;
      client.end(true);
      reject(new GreenLensError('cancelled', `Stopped connecting to ${o.url}.`));
    });
    const onError = (error: Error & { code?: number }): void => {
      if (everConnected) {
        o.onStatus(`MQTT error: ${error.message}`);
        return;
      }
      if (typeof error.code === 'number' && FATAL_CONNACK.has(error.code)) {
        client.end(true);
        reject(new GreenLensError('invalid_input', `MQTT broker ${o.url} refused the connection: ${error.message}.`, { field: 'mqtt' }));
        return;
      }
      o.onStatus(`cannot connect to ${o.url} yet: ${error.message}`);
    };
    client.on('error', onError);
    client.on('connect', (connack) => {
      retry = FIRST_RETRY_MS;
      client.options.reconnectPeriod = FIRST_RETRY_MS;
      if (everConnected) {
        o.onStatus(`reconnected to ${o.url}${connack.sessionPresent ? ' (session kept)' : ''}`);
        o.onState?.('connected');
      }
      const topic = o.topic;
      if (topic === undefined) {
        everConnected = true;
        resolveConnect();
        return;
      }
      // Subscribing again on a kept session is harmless and covers a broker that lost its state.
      client.subscribe(topic, { qos: 1 }, (error, granted) => {
        if (error || granted?.some((g) => g.qos === 128)) {
          const why = error?.message ?? 'the broker refused the subscription';
          if (!everConnected) reject(new GreenLensError('invalid_input', `Cannot subscribe to ${topic}: ${why}.`, { field: 'topic' }));
          else o.onStatus(`cannot subscribe to ${topic}: ${why}`);
          return;
        }
        if (!everConnected) {
          everConnected = true;
          resolveConnect();
        }
      });
    });
  });

  return {
    publish(topic, payload) {
      if (closing) return false;
      client.publish(topic, payload, { qos: 1 });
      return true;
    },
    publishAcked(topic, payload) {
      return new Promise((ok, fail) => client.publish(topic, payload, { qos: 1 }, (error) => (error ? fail(error) : ok())));
    },
    close() {
      closing = true;
      // A graceful end waits for every in-flight publish's PUBACK; after a broker restart one can stay
      // unanswered for good, and SIGTERM hung on it. Readings were acknowledged on arrival, so only
      // results still in flight are at stake when it is forced.
      return new Promise<boolean>((done) => {
        // mqtt.js answers a second end() at once while the first waits, without closing anything:
        // clear its (public) disconnecting flag so the forced end really tears down socket and timers.
        const force = setTimeout(() => {
          client.disconnecting = false;
          client.end(true, {}, () => done(false));
        }, CLOSE_WAIT_MS);
        client.end(false, {}, () => {
          clearTimeout(force);
          done(true);
        });
      });
    },
  };
}
