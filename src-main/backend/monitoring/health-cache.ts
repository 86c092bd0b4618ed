import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ReferenceProfile } from '../../core/drift/profile';
import { manifestPath } from '../../core/registry/manifest';
import { versionDir, versionsDir, VERSION_FILE } from '../../core/registry/versions';
import type { BackendState } from '../state';
import { loadProfile } from '../model/versions';
import { currentVersionOrNull, type ResolvedVersion } from './versions';

/**
 * The health check runs after every scoring request (alert rules), and
 * resolving the current version (manifest, every version.json of the model)
 * and reading its reference profile (read + sha256) cost ~12 ms of it. Both
 * only change when a file does, so they are kept per registry folder and
 * model, keyed by the identity (inode, size, mtime) of the files they came
 * from: the manifest (aliases, archive), the model's versions folder (a new
 * version), and the version's version.json and reference profile. Every
 * registry write replaces those files by rename (new inode) or adds a folder,
 * so any change — including a registry switch, which changes the folder —
 * misses the cache and reloads, checksums included.
 */
interface Entry {
  identity: string;
  resolved: ResolvedVersion;
  profile: ReferenceProfile;
}

const cache = new Map<string, Entry>();
const LIMIT = 16;

async function identityOf(files: readonly string[]): Promise<string | null> {
  try {
    const stats = await Promise.all(files.map((f) => fs.stat(f, { bigint: true })));
    return stats.map((s) => `${s.ino}:${s.size}:${s.mtimeNs}`).join('|');
  } catch {
    return null; // a file vanished: reload and let the loaders say what is wrong
  }
}

function filesOf(dir: string, model: string, r: ResolvedVersion | null): string[] {
  const head = [manifestPath(dir), versionsDir(dir, model)];
  if (!r) return head;
  const vdir = versionDir(dir, model, r.meta.version);
  return [...head, join(vdir, VERSION_FILE), join(vdir, r.meta.reference.file)];
}

/** The current version of `model` with its alias and reference profile, or null when it has none; cached as above. */
export async function currentWithProfile(
  state: BackendState,
  model: string,
  registryDir: string,
): Promise<(ResolvedVersion & { profile: ReferenceProfile }) | null> {
  const key = `${registryDir}\0${model}`;
  const hit = cache.get(key);
  if (hit && (await identityOf(filesOf(registryDir, model, hit.resolved))) === hit.identity) {
    return { ...hit.resolved, profile: hit.profile };
  }
  // Identity first, then the reads: a write landing in between only makes the next check reload.
  const before = await identityOf(filesOf(registryDir, model, null));
  const resolved = await currentVersionOrNull(state, model);
  if (!resolved) {
    cache.delete(key);
    return null;
  }
  const full = await identityOf(filesOf(registryDir, model, resolved));
  const profile = await loadProfile(resolved.registry, resolved.meta);
  if (before !== null && full !== null && full.startsWith(before)) {
    if (cache.size >= LIMIT && !cache.has(key)) cache.delete(cache.keys().next().value!);
    cache.set(key, { identity: full, resolved, profile });
  }
  return { ...resolved, profile };
}

/** For tests and registry switches that want a cold start. */
export function clearHealthCache(): void {
  cache.clear();
}
