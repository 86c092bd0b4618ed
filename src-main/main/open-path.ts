import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { isArchivePath } from '../contract/shared/registry';

/**
 * The registry a launch argument names: a registry folder, its
 * greenlens-registry.json, or a .greenlens archive. Flags are skipped.
 */
export function openablePath(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (!arg || arg.startsWith('-')) continue;
    if (!existsSync(arg)) continue;
    if (isArchivePath(arg)) return arg;
    if (basename(arg) === 'greenlens-registry.json') return arg;
    if (statSync(arg).isDirectory() && existsSync(`${arg}/greenlens-registry.json`)) return arg;
  }
  return null;
}
