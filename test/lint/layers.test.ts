import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of eslint.config.js, applied to snippets placed in each folder.
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer import rules', () => {
  it('core imports no transport, no electron and no worker API', async () => {
    const code = [
      "import { Worker } from 'node:worker_threads';",
      "import { createState } from '../../backend/state';",
      "import { app } from 'electron';",
      "import { startServer } from '../../web/server';",
      "import { scoreRange } from '../model/score-kernel';",
      'export const used = [Worker, createState, app, startServer, scoreRange];',
    ].join('\n');
    const messages = await restricted('src-main/core/data/probe.ts', code);
    expect(messages).toHaveLength(4);
    expect(messages[0]).toContain("'node:worker_threads'");
    expect(messages[1]).toContain("'../../backend/state'");
    expect(messages[2]).toContain("'electron'");
    expect(messages[3]).toContain("'../../web/server'");
  });

  it('the CLI reaches core only through the backend', async () => {
    const code =
      "import { MANIFEST_FILE } from '../../core/registry';\nimport { x } from '../../backend/registry/existing-dir';\nexport const used = [MANIFEST_FILE, x];";
    expect(await restricted('src-main/cli/commands/probe.ts', code)).toEqual([
      "'../../core/registry' import is restricted from being used by a pattern. The CLI goes through the backend handlers, not into core.",
    ]);
  });

  it('only main and preload import electron', async () => {
    const code = "import { app } from 'electron';\nexport const used = app;";
    expect(await restricted('src-main/backend/probe.ts', code)).toHaveLength(1);
    expect(await restricted('src-main/web/probe.ts', code)).toHaveLength(1);
    expect(await restricted('src-main/main/probe.ts', code)).toEqual([]);
    expect(await restricted('src-main/preload/probe.ts', code)).toEqual([]);
  });
});
