import { promises as fs } from 'node:fs';
import { vi } from 'vitest';

/** Files under `model`'s version folders read while `fn` runs (the health cache's loads). */
export async function versionReads(model: string, fn: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(fs, 'readFile');
  try {
    await fn();
    return spy.mock.calls.map((c) => String(c[0])).filter((f) => f.includes(`${model}/versions`));
  } finally {
    spy.mockRestore();
  }
}
