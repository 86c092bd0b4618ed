import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ARCHIVE_EXTENSION, isArchivePath } from '../../contract/shared/registry';
import { GreenLensError } from '../../contract';

/** `backup` → `backup.greenlens`: a typed path without the extension still makes an archive the app can open. */
export function withArchiveExtension(file: string): string {
  const full = path.resolve(file);
  return isArchivePath(full) ? full : `${full}${ARCHIVE_EXTENSION}`;
}

async function isFreeFolder(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Missing is free; a file of that name (ENOTDIR) is not.
    return code === 'ENOENT';
  }
}

/**
 * Where an archive is unpacked when no target is named: a folder beside it,
 * named after it (`site-a.greenlens` → `site-a/`), or `site-a-2/`… when that
 * name is taken, so importing the same file twice never fails or overwrites.
 */
export async function defaultImportTarget(archive: string): Promise<string> {
  const full = path.resolve(archive);
  const dir = path.dirname(full);
  const name = path.basename(full);
  const base = (isArchivePath(name) ? name.slice(0, -ARCHIVE_EXTENSION.length) : name) || 'registry';
  for (let i = 1; i <= 100; i++) {
    const candidate = path.join(dir, i === 1 ? base : `${base}-${i}`);
    if (await isFreeFolder(candidate)) return candidate;
  }
  throw new GreenLensError('conflict', `No free folder name beside ${full} to import into.`, { file: dir, hint: 'Name a target folder.' });
}
