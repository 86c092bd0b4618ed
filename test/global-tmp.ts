import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One folder per test run for everything the tests write outside the repository: every temporary folder (TMPDIR, so
 * os.tmpdir() and the CLI's child processes use it too) and the CLI's default data and config folders (its log, its
 * code cache, the default registry), so a run leaves nothing in /tmp and never touches the user's own GreenLens
 * folders. Removed when the run ends. Used as vitest's and Playwright's global setup.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'greenlens-test-run-'));
  const tmp = join(root, 'tmp');
  mkdirSync(tmp);
  process.env.TMPDIR = tmp;
  process.env.GREENLENS_DATA_DIR ??= join(root, 'data');
  process.env.GREENLENS_CONFIG_DIR ??= join(root, 'config');
  return () => rmSync(root, { recursive: true, force: true });
}
