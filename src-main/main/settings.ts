import Store from 'electron-store';
import type { Logger } from '../contract/shared/log';
import { createSettingsStore, settingsJsonSchema, type SettingsStore } from '../backend/host/settings-store';

/** The desktop app's settings: electron-store with the contract's schema. */
export function createElectronSettings(logger?: Logger): SettingsStore {
  const store = new Store<Record<string, unknown>>({
    name: 'settings',
    schema: settingsJsonSchema() as never,
    clearInvalidConfig: true,
  });
  return createSettingsStore({ get: (k) => store.get(k), set: (k, v) => store.set(k, v) }, logger);
}
