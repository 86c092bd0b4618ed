import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { GreenLensError } from '../../contract/shared/errors';
import type { Logger } from '../../contract/shared/log';
import { withLock, writeFileAtomic } from '../../core/registry';

/**
 * The registry's building names, in first-seen order: a logged reading stores
 * its building as a slot (1 = the first name here, 0 = unknown) in the record's
 * spare 16 bits (core/monitoring/records.ts). Names are only ever appended, so a
 * slot means the same building for the life of the log.
 */
export const BUILDINGS_FILE = join('predictions', 'buildings.json');
/** Slots are 16-bit and 0 means unknown. */
export const MAX_BUILDINGS = 65_535;

export async function readBuildingNames(registryDir: string): Promise<string[]> {
  return readBuildingNamesFile(join(registryDir, BUILDINGS_FILE));
}

/** The names of a `buildings.json` given by path (a bare prediction-log folder has one beside its segments). */
export async function readBuildingNamesFile(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new GreenLensError('corrupt', `${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
  const names = (parsed as { buildings?: unknown }).buildings;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    throw new GreenLensError('corrupt', `${file}: "buildings" must be a list of names.`, { file, field: 'buildings' });
  }
  return names as string[];
}

/**
 * Slots for one batch's building ids (a dataset's id column): names new to the
 * registry are appended (atomically, under the registry lock, before any
 * record refers to them). Past 65,535 buildings the extra ones log as unknown.
 */
export async function buildingSlots(
  registryDir: string,
  ids: { codes: Int32Array; dictionary: string[] },
  logger?: Logger,
): Promise<Uint16Array> {
  const byCode = await withLock(registryDir, async () => {
    const names = await readBuildingNames(registryDir);
    const at = new Map(names.map((n, i) => [n, i + 1]));
    let added = false;
    let dropped = 0;
    const slots = ids.dictionary.map((name) => {
      const known = at.get(name);
      if (known !== undefined) return known;
      if (names.length >= MAX_BUILDINGS) {
        dropped++;
        return 0;
      }
      names.push(name);
      at.set(name, names.length);
      added = true;
      return names.length;
    });
    if (added) {
      // The first scoring of a registry comes before the log has a folder.
      await fs.mkdir(join(registryDir, 'predictions'), { recursive: true });
      await writeFileAtomic(join(registryDir, BUILDINGS_FILE), JSON.stringify({ buildings: names }) + '\n');
    }
    if (dropped > 0) logger?.warn('Buildings beyond the log’s 65,535 are logged without a building.', { dropped });
    return slots;
  });
  const out = new Uint16Array(ids.codes.length);
  for (let i = 0; i < out.length; i++) {
    const c = ids.codes[i]!;
    out[i] = c >= 0 ? (byCode[c] ?? 0) : 0;
  }
  return out;
}
