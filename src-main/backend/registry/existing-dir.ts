import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GreenLensError } from '../../contract';
import { MANIFEST_FILE } from '../../core/registry';

/**
 * Read-only commands (drift, health) must not create a registry where a typo
 * points: the folder (or its manifest file) has to exist already. It lives in the
 * backend because only the registry core knows the manifest's name.
 */
export async function checkRegistryDir(path: string): Promise<string> {
  const dir = basename(path) === MANIFEST_FILE ? dirname(path) : path;
  const exists = await stat(join(dir, MANIFEST_FILE)).then(
    () => true,
    () => false,
  );
  if (!exists) {
    throw new GreenLensError('not_found', `No GreenLens registry at ${dir} (${MANIFEST_FILE} is missing).`, {
      file: dir,
      hint: 'Check the path, or create one with `greenlens train --registry DIR …`.',
    });
  }
  return dir;
}
