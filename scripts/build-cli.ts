// The CLI's body as one CommonJS file beside its entry (out/main/cli-body.cjs), after `electron-vite build`. The entry
// compiles it with V8's code cache (src-main/cli/body.ts explains why this is not an ES module like the rest).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BODY_FILE, BODY_WRAPPER, SCORE_THREADS } from '../src-main/cli/body';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { dependencies: Record<string, string> };

/**
 * Packages load from node_modules, as in the Electron build, when they have a CommonJS entry. An ES-only package is
 * bundled: the body, a CommonJS file, would reach it through Node's require of an ES module, which gives the
 * module's namespace where esbuild's Node-style interop expects the default export (`conf`'s and `env-paths`' default
 * imports failed). zod is bundled too: its ~100 modules were a large part of every command's start-up.
 */
function hasCommonJs(name: string): boolean {
  const manifest = JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, 'utf8')) as { type?: string; exports?: unknown };
  return manifest.type !== 'module' || JSON.stringify(manifest.exports ?? null).includes('"require"');
}

await build({
  absWorkingDir: root,
  entryPoints: ['src-main/cli/run.ts'],
  outfile: `out/main/${BODY_FILE}`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Smaller to read on every start; names kept, so a stack trace in a bug report still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['electron', ...Object.keys(pkg.dependencies).filter((name) => name !== 'zod' && hasCommonJs(name))],
  // A dynamic import() inside a vm.Script needs a loader callback that Node 20 marks experimental: require instead.
  supported: { 'dynamic-import': false },
  banner: { js: BODY_WRAPPER.start },
  footer: { js: BODY_WRAPPER.end },
  logLevel: 'warning',
  plugins: [
    {
      // The entry's own instance (it holds the scoring thread started before the body loads).
      name: 'entry-score-threads',
      setup(b) {
        b.onResolve({ filter: /(^|\/)score-threads$/ }, () => ({ path: SCORE_THREADS, external: true }));
      },
    },
  ],
});
