/**
 * Strict reading of a saved GroupScaler. It comes from a file that may be
 * damaged or hand edited, and a wrong scale silently shifts every score, so
 * every field is checked and a failure names the field.
 */
import type { GroupScaler, GroupStats, ScalerStats } from './preprocess';
import { type Fail, failWith, isRecord, onlyKeys, parsedJson } from './json-read';

const fail: Fail = failWith('invalid scaler');

function numbers(v: unknown, what: string, length: number, ok: (x: number) => boolean, rule: string): number[] {
  if (!Array.isArray(v)) fail(`${what} must be an array`);
  if (v.length !== length) fail(`${what} has ${v.length} entries, expected ${length} (one per feature)`);
  return v.map((x: unknown, i) => {
    if (typeof x !== 'number' || !ok(x)) fail(`${what}[${i}] must be ${rule}, got ${JSON.stringify(x)}`);
    return x;
  });
}

function readStats(v: unknown, where: string, n: number): ScalerStats {
  if (!isRecord(v)) fail(`${where} must be an object`);
  return {
    count: numbers(v.count, `${where}.count`, n, (x) => Number.isInteger(x) && x >= 0, 'an integer >= 0'),
    median: numbers(v.median, `${where}.median`, n, Number.isFinite, 'a finite number'),
    scale: numbers(v.scale, `${where}.scale`, n, (x) => Number.isFinite(x) && x > 0, 'a finite number > 0'),
  };
}

function readFeatures(v: unknown): string[] {
  if (!Array.isArray(v) || v.length === 0) fail('features must be a non-empty array of names');
  const seen = new Set<string>();
  return v.map((name: unknown, i) => {
    if (typeof name !== 'string' || name.length === 0) fail(`features[${i}] must be a non-empty string`);
    if (seen.has(name)) fail(`feature "${name}" appears twice`);
    seen.add(name);
    return name;
  });
}

/** Parses (if given text) and validates a scaler. Throws an Error naming the problem. */
export function loadScaler(json: unknown): GroupScaler {
  const v = parsedJson(json, fail);
  if (!isRecord(v)) fail('expected a JSON object');
  onlyKeys(v, ['features', 'global', 'groups'], 'the scaler', fail);
  const features = readFeatures(v.features);
  const global = readStats(v.global, 'global', features.length);
  if (!Array.isArray(v.groups)) fail('groups must be an array');
  const ids = new Set<string>();
  const groups = v.groups.map((g: unknown, i): GroupStats => {
    const where = `groups[${i}]`;
    if (!isRecord(g)) fail(`${where} must be an object`);
    onlyKeys(g, ['id', 'count', 'median', 'scale'], where, fail);
    if (typeof g.id !== 'string' || g.id.length === 0) fail(`${where}.id must be a non-empty string`);
    if (ids.has(g.id)) fail(`group "${g.id}" appears twice`);
    ids.add(g.id);
    return { id: g.id, ...readStats(g, `group "${g.id}"`, features.length) };
  });
  return { features, global, groups };
}
