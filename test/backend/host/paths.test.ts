import { join } from 'node:path';
import envPaths from 'env-paths';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configDir } from '../../../src-main/backend/host/paths';
import { settingsFilePath } from '../../../src-main/backend/host/settings-file';

const realPlatform = process.platform;
function onPlatform(platform: NodeJS.Platform): void {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true });
}

describe('configDir (where conf keeps web mode settings, the file every CLI command reads)', () => {
  afterEach(() => {
    onPlatform(realPlatform);
    vi.unstubAllEnvs();
  });

  // env-paths is what conf resolves its folder with: the reference for every platform and environment.
  const cases: [NodeJS.Platform, Record<string, string | undefined>][] = [
    ['linux', { XDG_CONFIG_HOME: undefined }],
    ['linux', { XDG_CONFIG_HOME: '/srv/cfg' }],
    ['linux', { XDG_CONFIG_HOME: '' }],
    ['darwin', {}],
    ['win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }],
    ['win32', { APPDATA: undefined }],
  ];
  for (const [platform, env] of cases) {
    it(`is env-paths' config folder for "greenlens" with no suffix on ${platform} with ${JSON.stringify(env)}`, () => {
      for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
      // The default folder: the test run's own (test/global-tmp.ts) is not set here.
      vi.stubEnv('GREENLENS_CONFIG_DIR', undefined);
      onPlatform(platform);
      const expected = envPaths('greenlens', { suffix: '' }).config;
      expect(configDir()).toBe(expected);
      expect(settingsFilePath(undefined)).toBe(join(expected, 'settings.json'));
    });
  }

  it('names the folder on Linux from XDG_CONFIG_HOME, else ~/.config', () => {
    onPlatform('linux');
    vi.stubEnv('XDG_CONFIG_HOME', '/srv/cfg');
    expect(configDir()).toBe(join('/srv/cfg', 'greenlens'));
  });
});
