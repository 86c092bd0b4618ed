import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cliArgv } from './cli';

/** A `greenlens stream` child process (see cliArgv) whose output is collected. */
export class StreamProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number>;
  private readonly proc: ChildProcess;

  constructor(args: string[]) {
    // GREENLENS_CPU_PROF=DIR profiles each stream process (benchmarks: where a worker's time goes).
    const prof = process.env.GREENLENS_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.GREENLENS_CPU_PROF] : [];
    this.proc = spawn(process.execPath, [...prof, ...cliArgv(), 'stream', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code ?? -1)));
  }

  /** Resolves when stderr matches, rejects when the process exits first or after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!pattern.test(this.stderr)) {
      if (this.proc.exitCode !== null) throw new Error(`stream exited (${this.proc.exitCode}) before ${pattern}: ${this.stderr}`);
      if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** User + system CPU seconds up to `stop()` (Linux /proc; NaN elsewhere). */
  cpuSeconds(): number {
    return this.cpu;
  }
  private cpu = NaN;

  private readCpu(): void {
    try {
      // Fields after the parenthesised name: utime and stime are the 12th and 13th, in clock ticks (100 per second).
      const rest = readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      this.cpu = (Number(rest[11]) + Number(rest[12])) / 100;
    } catch {
      this.cpu = NaN;
    }
  }

  /** SIGTERM and the exit code. */
  async stop(): Promise<number> {
    if (this.proc.exitCode === null) {
      this.readCpu();
      this.proc.kill('SIGTERM');
    }
    return this.exited;
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}
