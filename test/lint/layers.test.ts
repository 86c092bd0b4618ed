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

  it('the renderer takes values only from the zod-free leaf, and never zod', async () => {
    const file = 'src-renderer/src/tabs/data/probe.tsx';
    const ops = '../../../../src-main/contract/ops/data';
    const leaf = '../../../../src-main/contract/shared/data';
    expect(await restricted(file, `import { COLUMN_ROLES } from '${ops}';\nexport const used = COLUMN_ROLES;`)).toEqual([
      `'${ops}' import is restricted from being used by a pattern. Take values from the zod-free leaf src-main/contract/shared (type-only imports of the schemas are fine).`,
    ]);
    expect(await restricted(file, `import type { ColumnRole } from '${ops}';\nexport type Used = ColumnRole;`)).toEqual([]);
    expect(await restricted(file, `import { COLUMN_ROLES } from '${leaf}';\nexport const used = COLUMN_ROLES;`)).toEqual([]);
    expect(await restricted(file, "import { z } from 'zod';\nexport const used = z;")).toHaveLength(1);
    expect(await restricted(file, "import { ops } from '../../../../src-main/contract';\nexport const used = ops;")).toHaveLength(1);
    expect(
      await restricted(file, "import { getColumn } from '../../../../src-main/core/data/table';\nexport const used = getColumn;"),
    ).toHaveLength(1);
  });

  it('core takes contract values from the leaf only; the leaf imports no zod', async () => {
    expect(
      await restricted(
        'src-main/core/data/probe.ts',
        "import { TrainInputSchema } from '../../contract/ops/model';\nexport const u = TrainInputSchema;",
      ),
    ).toHaveLength(1);
    expect(
      await restricted('src-main/core/data/probe.ts', "import { TRAIN } from '../../contract/shared/model';\nexport const u = TRAIN;"),
    ).toEqual([]);
    expect(await restricted('src-main/contract/shared/probe.ts', "import { z } from 'zod';\nexport const u = z;")).toHaveLength(1);
    expect(await restricted('src-main/contract/shared/probe.ts', "import { op } from '../define';\nexport const u = op;")).toHaveLength(1);
  });

  it('only main and preload import electron', async () => {
    const code = "import { app } from 'electron';\nexport const used = app;";
    expect(await restricted('src-main/backend/probe.ts', code)).toHaveLength(1);
    expect(await restricted('src-main/web/probe.ts', code)).toHaveLength(1);
    expect(await restricted('src-main/main/probe.ts', code)).toEqual([]);
    expect(await restricted('src-main/preload/probe.ts', code)).toEqual([]);
  });
});
