import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GreenLensError } from '../../../src-main/contract/shared/errors';
import { appendLine, readNdjson, writeFileAtomic } from '../../../src-main/core/registry/atomic';
import { tempDir } from './helpers/temp';

describe('writeFileAtomic', () => {
  it('replaces the content and leaves no temp file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'a.json');
    await writeFileAtomic(file, '{"v":1}');
    await writeFileAtomic(file, '{"v":2}');
    expect(await fs.readFile(file, 'utf8')).toBe('{"v":2}');
    expect(await fs.readdir(dir)).toEqual(['a.json']);
  });

  it('on failure the old target is untouched and the temp file removed', async () => {
    const dir = await tempDir();
    const target = path.join(dir, 'busy');
    await fs.mkdir(target);
    await fs.writeFile(path.join(target, 'inside.txt'), 'keep me');
    // Renaming a file over a non-empty folder fails after the temp file is written.
    const error = await writeFileAtomic(target, 'new').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GreenLensError);
    expect((error as GreenLensError).info.file).toBe(target);
    expect(await fs.readdir(dir)).toEqual(['busy']);
    expect(await fs.readFile(path.join(target, 'inside.txt'), 'utf8')).toBe('keep me');
  });

  it('names the file when the folder does not exist', async () => {
    const file = path.join(await tempDir(), 'missing', 'x.json');
    const error = (await writeFileAtomic(file, 'x').catch((e: unknown) => e)) as GreenLensError;
    expect(error.code).toBe('io');
    expect(error.message).toContain(file);
  });
});

describe('NDJSON append and read', () => {
  it('round-trips records and reads a missing file as empty', async () => {
    const file = path.join(await tempDir(), 'log.ndjson');
    expect(await readNdjson(file)).toEqual({ records: [], recordLines: [], tornLines: 0, badLines: [] });
    await appendLine(file, JSON.stringify({ a: 1 }));
    await appendLine(file, JSON.stringify({ a: 2 }));
    expect((await readNdjson(file)).records).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('skips and counts a torn last line; the next append cuts it off', async () => {
    const file = path.join(await tempDir(), 'log.ndjson');
    await appendLine(file, '{"a":1}');
    await fs.appendFile(file, '{"a":2,"b":"unfini');
    const torn = await readNdjson(file);
    expect(torn).toMatchObject({ records: [{ a: 1 }], tornLines: 1, badLines: [] });
    await appendLine(file, '{"a":3}');
    expect(await fs.readFile(file, 'utf8')).toBe('{"a":1}\n{"a":3}\n');
  });

  it('reports a damaged complete line (not torn) separately with its line number', async () => {
    const file = path.join(await tempDir(), 'log.ndjson');
    await fs.writeFile(file, '{"a":1}\nnot json\n{"a":3}\n');
    expect(await readNdjson(file)).toMatchObject({
      records: [{ a: 1 }, { a: 3 }],
      recordLines: [1, 3],
      tornLines: 0,
      badLines: [{ line: 2 }],
    });
  });

  it('refuses a line with a line break', async () => {
    const file = path.join(await tempDir(), 'log.ndjson');
    await expect(appendLine(file, 'a\nb')).rejects.toThrow(/line break/);
  });
});
