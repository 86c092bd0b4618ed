// `npm test`: type-check, lint (ESLint), format check (Prettier), build, unit + integration
// tests (vitest), end-to-end tests (Playwright, web mode in Chromium; Electron where its
// binary exists). The last line is exactly "N passed, N failed"; the line before it
// says "(N skipped)".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = fileURLToPath(new URL('../test-results/', import.meta.url));
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const totals = { passed: 0, failed: 0, skipped: 0 };

function step(title, cmd, args) {
  console.log(`\n=== ${title} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  return r.status === 0;
}

function check(title, ok) {
  if (ok) totals.passed++;
  else {
    totals.failed++;
    console.log(`FAILED: ${title}`);
  }
}

check('typecheck (node)', step('Type-check (node)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']));
check('typecheck (web)', step('Type-check (renderer)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']));
// Caches (under node_modules/.cache) make a second run check only changed files.
check(
  'lint',
  step('Lint (ESLint)', bin('eslint'), ['--max-warnings', '0', '--cache', '--cache-location', 'node_modules/.cache/eslint/', '.']),
);
check('format', step('Format check (Prettier)', bin('prettier'), ['--check', '--cache', '.']));
// `npm run build`: the Electron build, then the CLI's body (scripts/build-cli.ts).
const built = step('Build', 'npm', ['run', '--silent', 'build']);
check('build', built);

// With a good build the CLI tests run the built CLI (test/helpers/cli.ts, cliArgv).
if (built) process.env.GREENLENS_TEST_CLI = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
step('Unit and integration tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${results}unit.json`,
]);
const unitFile = `${results}unit.json`;
if (existsSync(unitFile)) {
  const unit = JSON.parse(readFileSync(unitFile, 'utf8'));
  totals.passed += unit.numPassedTests;
  totals.failed += unit.numFailedTests + suitesThatFailedToLoad(unit);
  totals.skipped += unit.numPendingTests + (unit.numTodoTests ?? 0);
} else check('vitest report', false);

if (built) {
  step('End-to-end tests (Playwright)', bin('playwright'), ['test']);
  const e2eFile = `${results}e2e.json`;
  if (existsSync(e2eFile)) {
    const { stats } = JSON.parse(readFileSync(e2eFile, 'utf8'));
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
  } else check('playwright report', false);
} else {
  console.log('End-to-end tests not run: the build failed.');
}

/** A test file that fails to load has no failed tests of its own: count it as one failure. */
function suitesThatFailedToLoad(unit) {
  return unit.testResults.filter((s) => s.status === 'failed' && !s.assertionResults.some((a) => a.status === 'failed')).length;
}

console.log(`\n(${totals.skipped} skipped)`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 ? 1 : 0);
