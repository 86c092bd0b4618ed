import { z } from 'zod';
import { GreenLensError } from '../../contract';
import { silentLogger, type Logger } from '../../contract/shared/log';
import { DEFAULT_SETTINGS, mergeSettings, pushRecent, SettingsPatchSchema, SettingsSchema, type Settings } from '../../contract/settings';

/** The key-value surface both electron-store and conf offer. */
export interface KeyValue {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

export interface SettingsStore {
  get(): Settings;
  set(patch: unknown): Settings;
  addRecent(registryPath: string): Settings;
}

/** JSON schema of the settings, for electron-store's and conf's own validation. */
export function settingsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(SettingsSchema, { io: 'input', target: 'draft-7' }) as { properties?: Record<string, unknown> };
  return schema.properties ?? {};
}

/**
 * Settings over any key-value store, validated with the contract's schema on
 * every read and write. A damaged settings file falls back to defaults instead
 * of breaking start-up.
 */
export function createSettingsStore(kv: KeyValue, logger: Logger = silentLogger): SettingsStore {
  const read = (): Settings => {
    const raw: Record<string, unknown> = {};
    for (const key of Object.keys(SettingsSchema.shape)) {
      const v = kv.get(key);
      if (v !== undefined) raw[key] = v;
    }
    const parsed = SettingsSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    logger.warn('Settings are damaged; using the defaults.', {
      field: issue?.path.join('.') || '(settings)',
      problem: issue?.message,
    });
    return DEFAULT_SETTINGS;
  };
  const write = (next: Settings): Settings => {
    for (const [key, value] of Object.entries(next)) if (value !== undefined) kv.set(key, value);
    return next;
  };
  return {
    get: read,
    set(patch) {
      const parsed = SettingsPatchSchema.strict().safeParse(patch);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.join('.') || '(settings)';
        throw new GreenLensError('invalid_input', `Invalid setting "${field}": ${issue.message}.`, { field });
      }
      return write(mergeSettings(read(), parsed.data));
    },
    addRecent(registryPath) {
      const current = read();
      return write({ ...current, recentRegistries: pushRecent(current.recentRegistries, registryPath), lastRegistry: registryPath });
    },
  };
}

/** In-memory key-value, for tests and `--no-settings` runs. */
export function memoryKeyValue(): KeyValue {
  const map = new Map<string, unknown>();
  return { get: (k) => structuredClone(map.get(k)), set: (k, v) => void map.set(k, structuredClone(v)) };
}
