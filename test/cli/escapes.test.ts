import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeControls } from '../../src-main/cli/escape';
import { tempDir } from '../helpers/backend';
import { runCli } from '../helpers/cli';

/** An OSC 52 clipboard write, a colour change (CSI through ESC and through C1) and a carriage return. */
const OSC52 = '\u001b]52;c;ZWNobyBwd25lZA==\u0007';
const HOSTILE = `${OSC52}x\u001b[31mred\u009b2Jz\roverwritten`;

describe('escapeControls', () => {
  it('shows C0, DEL and C1 controls as visible escapes, keeps newlines, tabs and other text', () => {
    expect(escapeControls(HOSTILE)).toBe('\\x1b]52;c;ZWNobyBwd25lZA==\\x07x\\x1b[31mred\\u009b2Jz\\roverwritten');
    expect(escapeControls('a\tb\nc é ✓ \u007f')).toBe('a\tb\nc é ✓ \\x7f');
  });
});

let dir: string;
let registry: string;
const env = (): Record<string, string> => ({ GREENLENS_CONFIG_DIR: join(dir, 'config'), GREENLENS_DATA_DIR: dir });

beforeAll(() => {
  dir = tempDir('gl-cli-escapes-');
  const csv = join(dir, 'sim.csv');
  registry = join(dir, 'registry');
  expect(runCli(['simulate', '--out', csv, '--buildings', '1', '--days', '3', '--seed', '2'], env()).code).toBe(0);
  expect(runCli(['train', '--registry', registry, '--data', csv, '--trees', '10'], env()).code).toBe(0);
}, 120_000);

// eslint-disable-next-line no-control-regex -- the test looks for raw control characters in CLI output.
const raw = (text: string): boolean => /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text);

describe('CLI human output never writes raw control characters', () => {
  it('a description and tag with terminal escapes are shown escaped by versions show and list', () => {
    const tag = runCli(['versions', 'tag', '--registry', registry, '--version', '1.0.0', '--description', HOSTILE], env());
    expect(tag.code).toBe(0);
    expect(raw(tag.stdout + tag.stderr)).toBe(false);
    const show = runCli(['versions', 'show', '--registry', registry, '--version', '1.0.0'], env());
    expect(show.code).toBe(0);
    expect(raw(show.stdout)).toBe(false);
    expect(show.stdout).toContain('\\x1b]52;c;ZWNobyBwd25lZA==\\x07');
    // --json carries the text intact, JSON-escaped (C1 included), for programs to read.
    const json = runCli(['versions', 'show', '--registry', registry, '--version', '1.0.0', '--json'], env());
    expect(raw(json.stdout)).toBe(false);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });

  it('a CSV header with escapes is escaped in errors', () => {
    const csv = join(dir, 'hostile.csv');
    // (No ';' in it: the delimiter detector would split there.) The error lists the dataset's columns.
    writeFileSync(csv, 'time,\u001b[2J\u001b]0;pwned\u0007kwh\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,2\n');
    const r = runCli(['score', '--registry', registry, '--data', csv], env());
    expect(r.code).toBe(1);
    expect(raw(r.stdout + r.stderr)).toBe(false);
    expect(r.stderr).toContain('Columns in this dataset: time, \\x1b[2J\\x1b]0');
  });
});
