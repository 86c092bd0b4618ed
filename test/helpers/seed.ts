import { onTestFailed } from 'vitest';
import { createRng } from '../../src-main/core/data/rng';

export interface SeededRandom {
  readonly seed: number;
  /** Uniform in [0, 1), from the seed. */
  next(): number;
  /** Records one line (a delay, a choice) for the failure report. */
  log(line: string): void;
}

/** The env variable that replays a failed run's random choices. */
export const SEED_ENV = 'GREENLENS_TEST_SEED';

/**
 * The random choices of a test (kill delays, moments) from one seed, so a
 * failure can be replayed. The seed is GREENLENS_TEST_SEED when set, else a
 * fresh one. When the test fails, the seed, the command that replays it and
 * every logged choice are printed. Call it inside the test.
 */
export function seededRandom(testFile: string): SeededRandom {
  const fromEnv = process.env[SEED_ENV];
  if (fromEnv !== undefined && !/^\d+$/.test(fromEnv)) throw new Error(`${SEED_ENV} must be a whole number, got "${fromEnv}"`);
  const seed = fromEnv !== undefined ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
  const rng = createRng(seed);
  const lines: string[] = [];
  onTestFailed(() => {
    console.error(
      [`Random choices of this run came from seed ${seed}. Replay: ${SEED_ENV}=${seed} npx vitest run ${testFile}`, ...lines].join('\n  '),
    );
  });
  return { seed, next: () => rng.next(), log: (line) => void lines.push(line) };
}
