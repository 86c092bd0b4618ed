import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/backend';
import { cliArgv, runCli } from '../helpers/cli';

let dir: string;
let csv: string;
const env = (): Record<string, string> => ({ GREENLENS_CONFIG_DIR: join(dir, 'config'), GREENLENS_DATA_DIR: dir });

beforeAll(() => {
  dir = tempDir('gl-cli-signals-');
  csv = join(dir, 'big.csv');
  expect(runCli(['simulate', '--out', csv, '--buildings', '20', '--days', '365', '--seed', '1'], env()).code).toBe(0);
}, 120_000);

/**
 * Starts a CLI command, sends `signal` once `busy()` has held for a second (so the
 * work is under way), and resolves how long the process took to end after it.
 */
function interrupt(
  args: string[],
  signal: NodeJS.Signals,
  busy: () => boolean,
): Promise<{ ms: number; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, [...cliArgv(), ...args], { env: { ...process.env, ...env() } });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    let sentAt = 0;
    const poll = setInterval(() => {
      if (!busy()) return;
      clearInterval(poll);
      setTimeout(() => {
        sentAt = Date.now();
        child.kill(signal);
      }, 1000);
    }, 50);
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      if (sentAt === 0) reject(new Error(`finished before the signal (exit ${code}): ${stderr}`));
      else resolve({ ms: Date.now() - sentAt, signal: sig, stderr });
    });
  });
}

/** Version folders in place (staging leftovers are hidden and swept by the next write). */
function versionsOnDisk(registry: string): string[] {
  const models = join(registry, 'models');
  if (!existsSync(models)) return [];
  return readdirSync(models).flatMap((m) =>
    existsSync(join(models, m, 'versions')) ? readdirSync(join(models, m, 'versions')).filter((v) => !v.startsWith('.')) : [],
  );
}

/**
 * A child inherits an ignored SIGINT (some test runners ignore it) and a CLI must
 * keep it ignored then, as POSIX asks; SIGINT is tested only where it is not.
 */
function ignored(signal: number): boolean {
  const line = readFileSync('/proc/self/status', 'utf8').match(/^SigIgn:\s*([0-9a-f]+)$/m);
  return line ? (BigInt(`0x${line[1]}`) & (1n << BigInt(signal - 1))) !== 0n : false;
}
const signals = (['SIGTERM', 'SIGINT'] as const).filter((s) => !(s === 'SIGINT' && ignored(2)));

describe('signals stop a busy CLI at once', () => {
  it.each(signals)(
    '%s ends a long train within a second, and the registry verifies with no version half-written',
    async (signal) => {
      const registry = join(dir, `registry-${signal}`);
      // The registry appears when the CSV is read and training starts: 1,000 trees on 140k rows, many seconds on the main thread.
      const training = () => existsSync(join(registry, 'greenlens-registry.json'));
      const r = await interrupt(
        ['train', '--algorithm', 'isolation-forest', '--registry', registry, '--data', csv, '--trees', '1000'],
        signal,
        training,
      );
      expect(r.signal).toBe(signal);
      expect(r.ms).toBeLessThan(1000);
      const verify = runCli(['registry', 'verify', registry, '--json'], env());
      expect(verify.stderr).toBe('');
      expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
      expect(versionsOnDisk(registry)).toEqual([]);
    },
    120_000,
  );
});
