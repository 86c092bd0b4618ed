import { defineConfig } from '@playwright/test';

/**
 * End-to-end specs drive the built app: web mode in the system's Chromium
 * (GREENLENS_CHROMIUM overrides the path) and, where its binary exists,
 * Electron. Screenshots are kept in e2e/artifacts.
 */
export default defineConfig({
  testDir: './e2e',
  // Temporary folders and the CLI's data folder in one folder per run, removed after it (test/global-tmp.ts).
  globalSetup: './test/global-tmp.ts',
  outputDir: './test-results',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    viewport: { width: 1360, height: 880 },
    launchOptions: {
      executablePath: process.env.GREENLENS_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
});
