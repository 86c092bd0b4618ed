import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src-main/cli/commands';
import { OPTION_HINTS } from '../../src-main/core/data/csv-import';

/**
 * Issue 9 item 12: a hint may only point at an option that exists. Every
 * `--flag` written in a hint (or in the import option hints) must be a flag of
 * some CLI command, as its help lists it.
 */
const SRC = fileURLToPath(new URL('../../src-main/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const helpFlags = new Set(Object.values(COMMANDS).flatMap((c) => [...c.help.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0])));

describe('error hints', () => {
  it('name only CLI flags that exist', () => {
    const named: string[] = [
      ...Object.values(OPTION_HINTS)
        .join(' ')
        .matchAll(/--[a-z][a-z-]*/g),
    ].map((m) => m[0]);
    for (const file of sources(SRC)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!/hint/i.test(line)) continue;
        for (const m of line.matchAll(/--[a-z][a-z-]*/g)) named.push(m[0]);
      }
    }
    expect(named).toContain('--ragged');
    expect(named.filter((f) => !helpFlags.has(f))).toEqual([]);
  });

  it('point at the import review controls by the names they have', () => {
    const review = ['ReadingOptions.tsx', 'ImportPreview.tsx'].map((f) =>
      readFileSync(join(SRC, '../src-renderer/src/tabs/data', f), 'utf8'),
    );
    const text = review.join('\n');
    expect(OPTION_HINTS.ragged).toContain('"Rows with the wrong number of fields: skip"');
    expect(text).toContain('Rows with the wrong number of fields');
    expect(text).toContain('>Skip<');
    expect(OPTION_HINTS.missing).toContain('"Missing feature values"');
    expect(text).toContain('Missing feature values');
    expect(OPTION_HINTS.feature).toContain('Role column');
    expect(text).toContain('<th>Role</th>');
  });
});
