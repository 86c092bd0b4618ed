import { GreenLensError } from '../../contract/shared/errors';

/**
 * Model and alias names become folder names and manifest keys, so they are
 * restricted to a portable subset: no separators, no leading dot (which also
 * rules out `.` and `..`), lower case so two names never collide on a
 * case-insensitive file system.
 */
const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Strict `X.Y.Z`, no leading zeros, no prefix or pre-release suffix. */
const SEMVER_RE = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;

export type Semver = readonly [number, number, number];

export function isValidName(name: unknown): name is string {
  return typeof name === 'string' && NAME_RE.test(name) && !name.includes('..');
}

export function assertName(name: unknown, field: string): string {
  if (!isValidName(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name) : String(name);
    throw new GreenLensError(
      'invalid_input',
      `${field} ${shown} is not a valid name: use 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (no '/', no '..').`,
      { field },
    );
  }
  return name;
}

export function parseSemver(text: string): Semver | null {
  const m = SEMVER_RE.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export function isValidVersion(version: unknown): version is string {
  return typeof version === 'string' && parseSemver(version) !== null;
}

export function assertVersion(version: unknown, field: string): string {
  if (!isValidVersion(version)) {
    const shown = typeof version === 'string' ? JSON.stringify(version) : String(version);
    throw new GreenLensError(
      'invalid_input',
      `${field} ${shown} is not a valid version: use MAJOR.MINOR.PATCH, e.g. 1.0.0 (no 'v' prefix, no suffix).`,
      { field },
    );
  }
  return version;
}

export function compareSemver(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

/** The next patch after the highest of `existing`; the first version is 1.0.0. */
export function nextPatch(existing: readonly string[]): string {
  let best: string | null = null;
  for (const v of existing) {
    if (isValidVersion(v) && (best === null || compareSemver(v, best) > 0)) best = v;
  }
  const p = best === null ? null : parseSemver(best);
  return p ? `${p[0]}.${p[1]}.${p[2] + 1}` : '1.0.0';
}
