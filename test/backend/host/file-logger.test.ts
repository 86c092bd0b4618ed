import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger, LOG_FILE } from '../../../src-main/backend/host/file-logger';
import { createConfSettings } from '../../../src-main/backend/host/conf-settings';
import { readSettingsFile, settingsFilePath } from '../../../src-main/backend/host/settings-file';
import { DEFAULT_SETTINGS } from '../../../src-main/contract/settings';
import { tempDir } from '../../helpers/backend';

const fixedNow = (): Date => new Date('2026-01-02T03:04:05.000Z');
const lines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('file logger levels', () => {
  it('writes lines at or above the file level, and every level at or above the stderr level', () => {
    const dir = tempDir('gl-log-');
    const stderr: string[] = [];
    const log = createFileLogger({ dir, fileLevel: 'warn', stderrLevel: 'debug', writeStderr: (l) => stderr.push(l), now: fixedNow });
    log.debug('d');
    log.info('i');
    log.warn('w', { rows: 3 });
    log.error('e');
    expect(lines(join(dir, LOG_FILE))).toEqual(['2026-01-02T03:04:05.000Z WARN  w {"rows":3}', '2026-01-02T03:04:05.000Z ERROR e']);
    expect(stderr.map((l) => l.slice(25, 30))).toEqual(['DEBUG', 'INFO ', 'WARN ', 'ERROR']);
  });

  it('defaults to info in the file and nothing on stderr', () => {
    const dir = tempDir('gl-log-');
    const stderr: string[] = [];
    const log = createFileLogger({ dir, writeStderr: (l) => stderr.push(l), now: fixedNow });
    log.debug('hidden');
    log.info('shown');
    expect(lines(join(dir, LOG_FILE))).toEqual(['2026-01-02T03:04:05.000Z INFO  shown']);
    expect(stderr).toEqual([]);
  });

  it('creates no file until a line is written, and never throws when the folder cannot be made', () => {
    const dir = join(tempDir('gl-log-'), 'logs');
    createFileLogger({ dir }).debug('below the file level');
    expect(existsSync(dir)).toBe(false);
    const blocker = join(tempDir('gl-log-'), 'a-file');
    writeFileSync(blocker, 'not a folder');
    expect(() => createFileLogger({ dir: join(blocker, 'logs') }).error('lost')).not.toThrow();
  });
});

describe('file logger rotation', () => {
  it('keeps at most maxFiles files of at most maxBytes, newest in greenlens.log, oldest lines dropped', () => {
    const dir = tempDir('gl-log-');
    const log = createFileLogger({ dir, maxBytes: 200, maxFiles: 3, now: fixedNow });
    // Each line is 40 bytes: 5 fit in 200, so 30 lines make 6 files' worth, of which the last 3 are kept.
    for (let i = 0; i < 30; i++) log.info(`line ${String(i).padStart(3, '0')}`);
    expect(readdirSync(dir).sort()).toEqual(['greenlens.1.log', 'greenlens.2.log', 'greenlens.log']);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(200);
    const kept = ['greenlens.2.log', 'greenlens.1.log', 'greenlens.log'].flatMap((f) => lines(join(dir, f))).map((l) => l.slice(-8));
    // The files, oldest first, hold an unbroken run of the last lines written.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => `line ${String(30 - kept.length + k).padStart(3, '0')}`));
    expect(kept.length).toBe(15);
  });

  it('picks up the size of an existing file, so a new process rotates on time', () => {
    const dir = tempDir('gl-log-');
    writeFileSync(join(dir, LOG_FILE), 'x'.repeat(190) + '\n');
    createFileLogger({ dir, maxBytes: 200, maxFiles: 2, now: fixedNow }).warn('next');
    expect(readFileSync(join(dir, 'greenlens.1.log'), 'utf8')).toBe('x'.repeat(190) + '\n');
    expect(lines(join(dir, LOG_FILE))).toEqual(['2026-01-02T03:04:05.000Z WARN  next']);
  });
});

describe('a damaged settings file', () => {
  it('gives the defaults and writes a warn line naming the file', () => {
    const dir = tempDir('gl-log-');
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{"monitoring": ');
    const log = createFileLogger({ dir: join(dir, 'logs'), now: fixedNow });
    expect(readSettingsFile(log, file)).toEqual(DEFAULT_SETTINGS);
    const [line, ...rest] = lines(join(dir, 'logs', LOG_FILE));
    expect(rest).toEqual([]);
    expect(line).toMatch(
      /^2026-01-02T03:04:05\.000Z WARN {2}The settings file cannot be read; using the defaults\. \{"file":".*settings\.json","error":".*JSON/,
    );
  });

  it('gives the defaults and names the field when a value is invalid', () => {
    const dir = tempDir('gl-log-');
    const file = join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ recentRegistries: 'not a list' }));
    const log = createFileLogger({ dir: join(dir, 'logs'), now: fixedNow });
    expect(readSettingsFile(log, file)).toEqual(DEFAULT_SETTINGS);
    expect(lines(join(dir, 'logs', LOG_FILE))).toEqual([
      expect.stringMatching(/WARN {2}Settings are damaged; using the defaults\. \{"field":"recentRegistries","problem":".+"\}$/),
    ]);
  });

  it('reads what conf wrote (web mode, serve) from the same file, without a line', () => {
    const dir = tempDir('gl-log-');
    createConfSettings(undefined, join(dir, 'config')).set({ thresholds: { psi: 0.3 }, monitoring: { retentionDays: 7 } });
    const log = createFileLogger({ dir: join(dir, 'logs') });
    const read = readSettingsFile(log, settingsFilePath(join(dir, 'config')));
    expect(read.thresholds.psi).toBe(0.3);
    expect(read.monitoring.retentionDays).toBe(7);
    expect(read.thresholds.ksPValue).toBe(DEFAULT_SETTINGS.thresholds.ksPValue);
    expect(existsSync(join(dir, 'logs'))).toBe(false);
  });

  it('reads a missing file as the defaults without a line', () => {
    const dir = tempDir('gl-log-');
    const log = createFileLogger({ dir: join(dir, 'logs') });
    expect(readSettingsFile(log, join(dir, 'none.json'))).toEqual(DEFAULT_SETTINGS);
    expect(existsSync(join(dir, 'logs'))).toBe(false);
  });
});
