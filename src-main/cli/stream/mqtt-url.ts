import { UsageError } from '../args';

/** `--mqtt` as the commands take it: mqtt://HOST:PORT or mqtts://HOST:PORT. */
export function mqttUrlArg(value: string): string {
  if (!/^mqtts?:\/\/[^/]+/.test(value)) throw new UsageError(`--mqtt must be mqtt://HOST:PORT or mqtts://HOST:PORT, got "${value}".`);
  return value;
}
