import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AB_KEYS, AB_MODES, type AbRun } from '../../contract/shared/ab';
import { writeFileAtomic } from '../registry/atomic';
import { parseJsonFile, readJsonFile } from '../registry/json-file';

/**
 * `ab.json`: the A/B and shadow runs of the registry's aliases (ARCHITECTURE
 * §4a). Written whole and atomically under the registry lock; every scoring
 * path that scores an alias reads it and follows the active run. Stopped runs
 * stay, so their report can still be made.
 */

export const AB_FILE = 'ab.json';
export const abPath = (root: string): string => path.join(root, AB_FILE);

const runSchema = z.object({
  id: z.string().min(1),
  model: z.string().min(1),
  alias: z.string().min(1),
  mode: z.enum(AB_MODES),
  challenger: z.string().min(1),
  champion: z.string().min(1),
  share: z.number().min(0).max(1),
  by: z.enum(AB_KEYS),
  salt: z.string(),
  startedAt: z.string(),
  stoppedAt: z.string().nullable(),
  reason: z.string(),
});

const fileSchema = z.object({
  format: z.literal('greenlens-ab'),
  formatVersion: z.literal(1),
  runs: z.array(runSchema),
});

export type AbFile = z.infer<typeof fileSchema>;

export const emptyAbFile = (): AbFile => ({ format: 'greenlens-ab', formatVersion: 1, runs: [] });

/** Parses ab.json's text; an error names the file and the field. */
export function parseAbFile(text: string, file: string): AbFile {
  return parseJsonFile(text, file, fileSchema);
}

export async function readAbFile(root: string): Promise<AbFile> {
  return readJsonFile(abPath(root), parseAbFile, emptyAbFile);
}

/** Callers hold the registry lock. */
export async function writeAbFile(root: string, data: AbFile): Promise<void> {
  await writeFileAtomic(abPath(root), `${JSON.stringify(data, null, 2)}\n`);
}

/** The run an alias follows now, if any. */
export function activeRun(data: AbFile, model: string, alias: string): AbRun | null {
  return data.runs.find((r) => r.model === model && r.alias === alias && r.stoppedAt === null) ?? null;
}

/** `registry verify`: ab.json, when present, must parse and hold at most one active run per alias. */
export async function checkAbFile(root: string, error: (file: string, message: string) => void): Promise<number> {
  const file = abPath(root);
  let data: AbFile;
  try {
    const text = await fs.readFile(file, 'utf8');
    data = parseAbFile(text, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    error(file, (e as Error).message);
    return 1;
  }
  const seen = new Set<string>();
  for (const r of data.runs) {
    if (r.stoppedAt !== null) continue;
    const key = `${r.model}\u0000${r.alias}`;
    if (seen.has(key)) error(file, `more than one active run for ${r.model} ${r.alias}`);
    seen.add(key);
  }
  return 1;
}
