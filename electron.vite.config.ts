import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // zod is bundled: loading it as ~100 separate ES modules was a large part of every CLI command's start-up.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        // One Node build serves the desktop app, the backend worker and the CLI/web host.
        input: {
          index: resolve(root, 'src-main/main/index.ts'),
          worker: resolve(root, 'src-main/backend/worker.ts'),
          cli: resolve(root, 'src-main/cli/index.ts'),
          // Extra threads for scoring large inputs (backend/model/parallel-score.ts).
          'score-worker': resolve(root, 'src-main/backend/model/score-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'src-main/preload/index.ts') },
        // A sandboxed preload must be a single CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves the renderer unminified by default; the bundle is shipped and served in web mode.
      minify: true,
      rollupOptions: { input: resolve(root, 'src-renderer/index.html') },
    },
  },
});
