import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { exitWhenDone, type ExitHooks } from '../../src-main/cli/exit';
import { tempDir } from '../helpers/backend';

const exitModule = fileURLToPath(new URL('../../src-main/cli/exit.ts', import.meta.url));
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

function hooks(resources: string[][]): ExitHooks & { exits: number[]; flushed: number } {
  let call = 0;
  const h = {
    exits: [] as number[],
    flushed: 0,
    resources: () => resources[Math.min(call++, resources.length - 1)]!,
    flush: (done: () => void) => {
      h.flushed++;
      done();
    },
    exit: (code: number) => void h.exits.push(code),
  };
  return h;
}

describe('exitWhenDone', () => {
  const before = process.exitCode;
  afterEach(() => {
    process.exitCode = before;
  });

  it('ends the process with the code after flushing when only the standard streams are open', async () => {
    const h = hooks([['PipeWrap', 'TTYWrap']]);
    exitWhenDone(3, h);
    expect(process.exitCode).toBe(3);
    await tick();
    expect(h.flushed).toBe(1);
    expect(h.exits).toEqual([3]);
  });

  it('leaves a process with a pending write, timer or socket to end by itself', async () => {
    for (const busy of ['FSReqCallback', 'Timeout', 'TCPWrap', 'ProcessWrap', 'FileHandleCloseReq']) {
      const h = hooks([['PipeWrap', busy]]);
      exitWhenDone(0, h);
      await tick();
      expect(h.flushed, busy).toBe(1);
      expect(h.exits, busy).toEqual([]);
    }
  });

  it('flushes the streams before it judges what is open', async () => {
    const order: string[] = [];
    exitWhenDone(0, {
      flush: (done) => {
        order.push('flush');
        setImmediate(done);
      },
      resources: () => (order.push('resources'), ['PipeWrap']),
      exit: () => void order.push('exit'),
    });
    expect(order).toEqual(['flush']);
    await tick();
    await tick();
    expect(order).toEqual(['flush', 'resources', 'exit']);
  });
});

describe('exitWhenDone in a real process', () => {
  // `beforeExit` is emitted only when Node ends by itself (not on process.exit): it tells the two endings apart.
  const run = (body: string): { code: number | null; stdout: string; stderr: string; dir: string } => {
    const dir = tempDir('gl-exit-');
    const script = join(dir, 'script.ts');
    writeFileSync(
      script,
      `import { exitWhenDone } from ${JSON.stringify(exitModule)};\n` +
        `process.on('beforeExit', () => process.stderr.write('ended by itself\\n'));\n` +
        `process.on('exit', () => process.stderr.write('exit listeners ran\\n'));\n` +
        body.replaceAll('DIR', JSON.stringify(dir)),
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, dir };
  };

  it('delivers a large stdout through a pipe whole, with the code, and ends without waiting', () => {
    const r = run(`process.stdout.write('x'.repeat(4 << 20) + '\\nend\\n');\nexitWhenDone(3);\n`);
    expect(r.code).toBe(3);
    expect(r.stdout.length).toBe((4 << 20) + 5);
    expect(r.stdout.endsWith('\nend\n')).toBe(true);
    expect(r.stderr).toContain('exit listeners ran');
    expect(r.stderr).not.toContain('ended by itself');
  }, 60_000);

  it('lets a write still in flight finish before the process ends', () => {
    const r = run(
      `import { writeFile } from 'node:fs/promises';\n` +
        `import { join } from 'node:path';\n` +
        `void writeFile(join(DIR, 'late.bin'), Buffer.alloc(32 << 20, 7));\n` +
        `exitWhenDone(0);\n`,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('ended by itself');
    const late = join(r.dir, 'late.bin');
    expect(statSync(late).size).toBe(32 << 20);
    expect(readFileSync(late).at(-1)).toBe(7);
  }, 60_000);
});
