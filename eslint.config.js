// Lint for the whole tree (`npm test` runs it). Rules without type information keep it fast;
// tsc already checks types. The layer rules at the end say which folder may import what.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electron = { name: 'electron', message: 'Only src-main/main and src-main/preload import electron.' };
const workerApi = ['node:worker_threads', 'worker_threads'].map((name) => ({
  name,
  message: 'core is pure: thread plumbing lives in src-main/backend.',
}));
const transports = {
  regex: String.raw`(^|/)(backend|web|cli|main|preload)(/|$)`,
  message: 'core imports no transport (backend, web, cli, main, preload).',
};
/** The zod half of the contract (ops, define, settings, the table): types only, values come from contract/shared. */
const contractSchemas = {
  regex: String.raw`(^|/)contract(/(?!shared(/|$))|$)`,
  allowTypeImports: true,
  message: 'Take values from the zod-free leaf src-main/contract/shared (type-only imports of the schemas are fine).',
};
const cliIntoCore = { regex: String.raw`(^|/)core(/|$)`, message: 'The CLI goes through the backend handlers, not into core.' };
/**
 * A store selector must return something the store holds (or a primitive): zustand 5
 * compares selections with Object.is, so a fresh array or object is a change on every
 * read and React re-renders until it gives up, blanking the app. Hoist an empty constant.
 */
const storeSelector = String.raw`CallExpression[callee.name=/^use(?!(State|Memo|Callback|Effect|LayoutEffect|Ref|Reducer|Id)$)[A-Z]/] > ArrowFunctionExpression[params.length=1]`;
const freshValue = ':matches(ArrayExpression, ObjectExpression, NewExpression)';
const freshCall = String.raw`CallExpression[callee.property.name=/^(filter|map|flatMap|slice|concat|toSorted|toReversed|keys|values|entries)$/]`;
const freshSelections = [
  `${storeSelector} > ${freshValue}.body`,
  `${storeSelector} > ${freshCall}.body`,
  `${storeSelector} > :matches(LogicalExpression, ConditionalExpression).body > ${freshValue}`,
].map((selector) => ({
  selector,
  message:
    'This store selector returns a new array or object on every read (zustand 5 then re-renders without end): return a stored value or a hoisted constant.',
}));
/** One rule per folder: a later config's options replace an earlier one's, they do not add up. */
const restrict = (paths, patterns = []) => ['error', { paths, patterns }];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'out/', 'test-results/', 'playwright-report/', 'e2e/artifacts/', 'bench/results/', 'test/fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-syntax': ['error', ...freshSelections] },
  },
  // Layers (docs/ARCHITECTURE.md): core is pure, the CLI is a transport over the backend,
  // the renderer sees the contract's zod-free part only, electron stays in main and preload.
  { files: ['**/*.{ts,tsx,mts,js,mjs}'], rules: { 'no-restricted-imports': restrict([electron]) } },
  { files: ['src-main/main/**', 'src-main/preload/**'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['src-main/core/**'], rules: { 'no-restricted-imports': restrict([electron, ...workerApi], [transports, contractSchemas]) } },
  { files: ['src-main/cli/**'], rules: { 'no-restricted-imports': restrict([electron], [cliIntoCore]) } },
  {
    files: ['src-main/contract/shared/**'],
    rules: {
      'no-restricted-imports': restrict(
        [electron, { name: 'zod', message: 'contract/shared is the zod-free leaf.' }],
        [{ regex: String.raw`^\.\./`, message: 'contract/shared is a leaf: it imports nothing outside its folder.' }],
      ),
    },
  },
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': restrict(
        [electron, { name: 'zod', message: 'The renderer bundle carries no zod.' }],
        [
          contractSchemas,
          { regex: String.raw`(^|/)src-main/(?!contract(/|$))`, message: 'The renderer talks to the backend through the contract only.' },
        ],
      ),
    },
  },
);
