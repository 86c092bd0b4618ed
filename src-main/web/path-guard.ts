import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { GreenLensError } from '../contract/shared/errors';

/**
 * Web mode confines every file path a request carries to folders the host allows:
 * the registry folders, the uploads folder and folders given to `greenlens serve
 * --allow`. A browser page holding the token must not read /etc/shadow or write a CSV
 * over ~/.bashrc. Fields are listed per operation ([object key, …] inside the input).
 */
export const WEB_PATH_FIELDS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  'data.preview': [['path']],
  'data.import': [['path']],
  'data.exportCsv': [['path']],
  'model.score': [['out']],
  'drift.report': [
    ['current', 'path'],
    ['reference', 'path'],
  ],
  'registry.open': [['path']],
  'live.start': [['passwordFile'], ['ca']],
  'registry.create': [['path']],
  'registry.export': [['archive']],
  'registry.import': [['archive'], ['target']],
  'model.evaluate': [['data', 'path']],
  'watch.run': [['folder'], ['policyPath']],
  'report.build': [['path']],
  'predictions.export': [['path']],
};

export type PathGuard = (op: string, input: unknown) => Promise<void>;

/** `roots` is asked on every call: the open registry and the recent ones change while serving. */
export function createPathGuard(roots: () => readonly (string | null | undefined)[]): PathGuard {
  return async (op, input) => {
    const fields = WEB_PATH_FIELDS[op];
    if (!fields) return;
    const allowed = await Promise.all(
      [...new Set(roots().filter((r): r is string => typeof r === 'string' && isAbsolute(r)))].map((r) => settle(r)),
    );
    for (const keys of fields) {
      const value = dig(input, keys);
      if (typeof value !== 'string') continue;
      const field = keys.join('.');
      if (!isAbsolute(value)) {
        throw new GreenLensError('invalid_input', `${field} must be an absolute path in web mode.`, { field });
      }
      const real = await settle(value);
      if (!allowed.some((root) => within(root, real))) {
        throw new GreenLensError(
          'unauthorized',
          `Web mode reaches only the registry, the uploads folder and allowed folders; ${clipPath(value)} is outside them.`,
          {
            field,
            hint: 'Restart with `greenlens serve --allow FOLDER` to let the browser use that folder.',
          },
        );
      }
    }
  };
}

function dig(input: unknown, keys: readonly string[]): unknown {
  let at: unknown = input;
  for (const k of keys) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, k)) return undefined;
    at = (at as Record<string, unknown>)[k];
  }
  return at;
}

/**
 * The real path of `p`, following symlinks in the part that exists (a link inside an
 * allowed folder must not lead out of it); the missing tail is appended as written.
 */
async function settle(p: string): Promise<string> {
  const abs = resolve(p);
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    try {
      return join(await realpath(head), ...tail.reverse());
    } catch {
      const up = dirname(head);
      if (up === head) return abs;
      tail.push(basename(head));
      head = up;
    }
  }
}

function clipPath(p: string): string {
  return p.length > 200 ? `${p.slice(0, 200)}…` : p;
}

/** True when `child` is `root` or inside it (both already resolved). */
export function within(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel));
}
