import Conf from 'conf';
import type { Logger } from '../../contract/shared/log';
import { createSettingsStore, settingsJsonSchema, type SettingsStore } from './settings-store';

/**
 * Settings for web mode and the CLI: the same schema as the Electron app's
 * electron-store. GREENLENS_CONFIG_DIR points it elsewhere (tests, portable use).
 */
export function createConfSettings(logger?: Logger, configDir = process.env.GREENLENS_CONFIG_DIR): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({
    projectName: 'greenlens',
    projectSuffix: '',
    configName: 'settings',
    ...(configDir ? { cwd: configDir } : {}),
    schema: settingsJsonSchema() as never,
    clearInvalidConfig: true,
  });
  return createSettingsStore({ get: (k) => conf.get(k), set: (k, v) => conf.set(k, v) }, logger);
}
