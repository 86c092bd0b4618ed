import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../contract/settings';
import type { Logger } from '../../contract/shared/log';
import { configDir as platformConfigDir } from './paths';
import { createSettingsStore } from './settings-store';

/**
 * The settings file conf keeps for web mode and the CLI (conf-settings.ts):
 * GREENLENS_CONFIG_DIR, else the platform's config folder for "greenlens".
 */
export function settingsFilePath(configDir = process.env.GREENLENS_CONFIG_DIR): string {
  return join(configDir ?? platformConfigDir(), 'settings.json');
}

/**
 * The settings as a CLI command sees them, read once and never written. A
 * command only reads settings, and loading conf compiles a JSON schema
 * validator, a quarter of a short command's run; the values are validated by
 * the same contract schema either way. No file means the defaults; a file
 * that is not JSON, or holds invalid values, gives the defaults with a warning.
 */
export function readSettingsFile(logger: Logger, path = settingsFilePath()): Settings {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) stored = parsed as Record<string, unknown>;
    else logger.warn('The settings file does not hold an object; using the defaults.', { file: path });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      logger.warn('The settings file cannot be read; using the defaults.', { file: path, error: (error as Error).message });
  }
  const readOnly = {
    get: (key: string) => stored[key],
    set: () => {
      throw new Error('CLI settings are read-only');
    },
  };
  return createSettingsStore(readOnly, logger).get();
}
