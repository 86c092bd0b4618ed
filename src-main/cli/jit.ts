import { setFlagsFromString } from 'node:v8';

/**
 * For a short batch command that runs a few long loops (`greenlens score`):
 * V8 optimises a loop still running (on-stack replacement) on a background
 * thread, from the type feedback it had when it started; the contextual
 * detector's long per-building loops were optimised, thrown away and
 * optimised again, and those background compiles took ~1.4 of 7.5 CPU-s of
 * scoring 876,000 readings, on the same 2 cores as the scoring threads.
 * Compiled on the thread that runs the loop, the total fell to ~6.1 CPU-s
 * (bench/score-contextual-cli.bench.ts). The flag is read at each
 * optimisation, so it also holds for the threads started after; it changes
 * only when code is compiled, never what it computes.
 */
export function compileLoopsInPlace(): void {
  setFlagsFromString('--no-concurrent-osr');
}
