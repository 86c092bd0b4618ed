import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Custom matchers (toBeCloseToRel) for every test file.
    setupFiles: ['test/helpers/matchers.ts'],
    // Temporary folders and the CLI's data folder in one folder per run, removed after it (test/global-tmp.ts).
    globalSetup: ['test/global-tmp.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time on the two-core CI machine: the suite is mostly
    // single-threaded waits on child processes and workers, so this halves
    // wall time without oversubscribing (623 s → 410 s measured).
    maxWorkers: 2,
  },
});
