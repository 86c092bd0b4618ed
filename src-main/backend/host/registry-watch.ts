import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChangedEvent } from '../../contract';

type Topic = Extract<ChangedEvent['topic'], 'versions' | 'deployments' | 'predictions'>;

/**
 * What a reader of each topic depends on, as a cheap string: file sizes and
 * times, and folder listings. A `greenlens train` or `score` in a terminal
 * changes one of them; the open UI then refetches (issue 9.17). Polling,
 * not fs.watch: a few stats a second cost nothing, and fs.watch misses
 * changes on network drives and in some containers.
 */
export async function registrySignature(dir: string): Promise<Record<Topic, string>> {
  const fileSig = async (path: string): Promise<string> => {
    try {
      const s = await stat(path);
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  const listing = async (path: string): Promise<string[]> => readdir(path).catch(() => [] as string[]);
  const models = (await listing(join(dir, 'models'))).sort();
  const versions = await Promise.all(models.map(async (m) => `${m}=${(await listing(join(dir, 'models', m))).sort().join(',')}`));
  const predictionFiles = (await listing(join(dir, 'predictions'))).filter((f) => !f.includes('.tmp')).sort();
  const predictions = await Promise.all(predictionFiles.map(async (f) => `${f}=${await fileSig(join(dir, 'predictions', f))}`));
  return {
    versions: `${await fileSig(join(dir, 'greenlens-registry.json'))}|${versions.join('|')}`,
    deployments: await fileSig(join(dir, 'deployments.ndjson')),
    predictions: predictions.join('|'),
  };
}

export interface RegistryWatch {
  stop(): void;
}

/**
 * Polls the open registry and calls `changed` for each topic whose signature
 * moved since the last look. A switch to another registry only re-baselines
 * (the registry event already makes every view refetch).
 */
export function watchRegistry(openRegistry: () => string | null, changed: (topic: Topic) => void, intervalMs = 1500): RegistryWatch {
  let dir: string | null = null;
  let last: Record<Topic, string> | null = null;
  let busy = false;
  const tick = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const now = openRegistry();
      if (!now) {
        dir = null;
        last = null;
        return;
      }
      const sig = await registrySignature(now);
      if (now === dir && last) {
        for (const topic of Object.keys(sig) as Topic[]) if (sig[topic] !== last[topic]) changed(topic);
      }
      dir = now;
      last = sig;
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
