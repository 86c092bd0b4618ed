/**
 * The contextual detector's model file: plain JSON inside the usual
 * 'greenlens-model' envelope, told apart from Isolation Forest files by
 * `kind: 'contextual'` and formatVersion 2 (so a GreenLens that predates it
 * says "newer than this GreenLens supports" instead of misreading it).
 *
 *   { format: 'greenlens-model', formatVersion: 2, kind: 'contextual',
 *     timeColumn, idColumn, detector: <ContextualModel without the forest>,
 *     forest: <a 'greenlens-iforest' file> }
 *
 * The loader trusts nothing: every number is checked finite and every array
 * its expected length, so a damaged file fails with what is wrong and where.
 */
import { type Fail, failWith, isRecord, onlyKeys, parsedJson } from '../json-read';
import { loadModel, serializeModel } from '../serialize';
import { BANDS } from './baseline';
import { SLOTS } from './towt';
import { MEMBERS, type BuildingModel, type ContextualModel, type ContextualSettings, type MeterModel } from './types';
import type { TowtModel } from './towt';
import type { BlockSupport, TemperatureSupport } from './unseen';

export const CONTEXTUAL_FORMAT_VERSION = 2;

export interface ContextualArtifact {
  kind: 'contextual';
  /** Dataset column names the model reads. */
  timeColumn: string;
  idColumn: string | null;
  model: ContextualModel;
}

export function contextualArtifactToJson(a: ContextualArtifact): string {
  const { forest, ...detector } = a.model;
  return JSON.stringify({
    format: 'greenlens-model',
    formatVersion: CONTEXTUAL_FORMAT_VERSION,
    kind: 'contextual',
    timeColumn: a.timeColumn,
    idColumn: a.idColumn,
    detector,
    forest: serializeModel(forest),
  });
}

const fail: Fail = failWith('invalid model file');

function finite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${what} must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

function numbers(v: unknown, what: string, length?: number): number[] {
  if (!Array.isArray(v)) fail(`${what} must be an array`);
  if (length !== undefined && v.length !== length) fail(`${what} has ${v.length} entries, expected ${length}`);
  v.forEach((x, i) => finite(x, `${what}[${i}]`));
  return v as number[];
}

function names(v: unknown, what: string, allowEmpty = false): string[] {
  if (!Array.isArray(v) || (!allowEmpty && v.length === 0)) fail(`${what} must be a${allowEmpty ? 'n' : ' non-empty'} array of names`);
  v.forEach((x, i) => {
    if (typeof x !== 'string' || x.length === 0) fail(`${what}[${i}] must be a non-empty string`);
  });
  return v as string[];
}

function readTowt(v: unknown, what: string): TowtModel {
  if (!isRecord(v)) fail(`${what} must be an object`);
  onlyKeys(v, ['knots', 'occupied', 'alpha', 'beta', 'fillTemp', 'seasonal'], what, fail);
  const knots = numbers(v.knots, `${what}.knots`);
  for (let j = 1; j < knots.length; j++) if (!(knots[j]! > knots[j - 1]!)) fail(`${what}.knots must increase`);
  if (typeof v.seasonal !== 'boolean') fail(`${what}.seasonal must be true or false`);
  const block = (knots.length ? knots.length + 1 : 0) + (v.seasonal ? 2 : 0);
  const occupied = numbers(v.occupied, `${what}.occupied`, SLOTS);
  if (occupied.some((x) => x !== 0 && x !== 1)) fail(`${what}.occupied must hold 0 or 1`);
  return {
    knots,
    occupied,
    alpha: numbers(v.alpha, `${what}.alpha`, SLOTS),
    beta: numbers(v.beta, `${what}.beta`, 2 * block),
    fillTemp: finite(v.fillTemp, `${what}.fillTemp`),
    seasonal: v.seasonal,
  };
}

function readMeter(v: unknown, what: string): MeterModel {
  if (!isRecord(v)) fail(`${what} must be an object`);
  onlyKeys(v, ['towt', 'spread', 'sustainedSpread', 'jumpSpread'], what, fail);
  // Per hour of the day × occupied/unoccupied; 12 (4-hour bands) in files written before.
  const spread = numbers(v.spread, `${what}.spread`);
  if (spread.length !== 2 * BANDS && spread.length !== 12) fail(`${what}.spread has ${spread.length} entries, expected ${2 * BANDS}`);
  if (spread.some((x) => !(x > 0))) fail(`${what}.spread must be positive`);
  const positive = (x: unknown, w: string): number => {
    const n = finite(x, w);
    if (!(n > 0)) fail(`${w} must be positive`);
    return n;
  };
  return {
    towt: readTowt(v.towt, `${what}.towt`),
    spread,
    sustainedSpread: positive(v.sustainedSpread, `${what}.sustainedSpread`),
    jumpSpread: positive(v.jumpSpread, `${what}.jumpSpread`),
  };
}

/** A building's training temperature range (files written before have none). */
function readSupport(v: unknown, what: string): TemperatureSupport {
  if (!isRecord(v)) fail(`${what} must be an object`);
  onlyKeys(v, ['lo', 'hi'], what, fail);
  const lo = finite(v.lo, `${what}.lo`);
  const hi = finite(v.hi, `${what}.hi`);
  if (!(lo <= hi)) fail(`${what}.lo must not exceed ${what}.hi`);
  return { lo, hi };
}

/** Per meter, the occupied and unoccupied blocks' training temperature ranges (null for a block without readings). */
function readBlockSupports(v: unknown, what: string, meters: number): BlockSupport[] {
  if (!Array.isArray(v) || v.length !== meters) fail(`${what} must hold one entry per meter (${meters})`);
  return v.map((e: unknown, m) => {
    const at = `${what}[${m}]`;
    if (!isRecord(e)) fail(`${at} must be an object`);
    onlyKeys(e, ['occupied', 'unoccupied'], at, fail);
    const side = (x: unknown, name: string) => (x === null ? null : readSupport(x, `${at}.${name}`));
    return { occupied: side(e.occupied, 'occupied'), unoccupied: side(e.unoccupied, 'unoccupied') };
  });
}

function readSettings(v: unknown): ContextualSettings {
  if (!isRecord(v)) fail('detector.settings must be an object');
  const keys = ['knots', 'stuckHours', 'threshold', 'windowHours', 'jumpLimit', 'minHistoryHours', 'trees', 'sampleSize', 'seed'] as const;
  onlyKeys(v, [...keys, 'weights'], 'detector.settings', fail);
  const out = Object.fromEntries(keys.map((k) => [k, finite(v[k], `detector.settings.${k}`)])) as Omit<ContextualSettings, 'weights'>;
  if (!(out.threshold > 0)) fail('detector.settings.threshold must be positive');
  const w = v.weights;
  if (!isRecord(w)) fail('detector.settings.weights must be an object');
  onlyKeys(w, MEMBERS, 'detector.settings.weights', fail);
  const weights = Object.fromEntries(
    MEMBERS.map((m) => [m, finite(w[m], `detector.settings.weights.${m}`)]),
  ) as ContextualSettings['weights'];
  return { ...out, weights };
}

/** Validates a parsed contextual model file (the caller has seen kind: 'contextual'). */
export function loadContextualArtifact(json: unknown): ContextualArtifact {
  const v = parsedJson(json, fail);
  if (!isRecord(v)) fail('expected a JSON object');
  onlyKeys(v, ['format', 'formatVersion', 'kind', 'timeColumn', 'idColumn', 'detector', 'forest'], 'the model file', fail);
  if (v.kind !== 'contextual') fail(`kind is ${JSON.stringify(v.kind)}, expected "contextual"`);
  if (v.formatVersion !== CONTEXTUAL_FORMAT_VERSION) {
    if (typeof v.formatVersion === 'number' && v.formatVersion > CONTEXTUAL_FORMAT_VERSION) {
      throw new Error(
        `model formatVersion ${v.formatVersion} is newer than this GreenLens supports (${CONTEXTUAL_FORMAT_VERSION}); update GreenLens to open it`,
      );
    }
    fail(`a contextual model has formatVersion ${CONTEXTUAL_FORMAT_VERSION}, got ${JSON.stringify(v.formatVersion)}`);
  }
  if (typeof v.timeColumn !== 'string' || !v.timeColumn) fail('timeColumn must be a non-empty string');
  if (v.idColumn !== null && (typeof v.idColumn !== 'string' || !v.idColumn)) fail('idColumn must be a non-empty string or null');
  const d = v.detector;
  if (!isRecord(d)) fail('detector must be an object');
  onlyKeys(
    d,
    ['kind', 'meters', 'stuckColumns', 'temperature', 'settings', 'buildings', 'fleet', 'forestCenter', 'forestScale', 'trainedRows'],
    'detector',
    fail,
  );
  const meters = names(d.meters, 'detector.meters');
  const stuckColumns = names(d.stuckColumns, 'detector.stuckColumns', true);
  if (d.temperature !== null && (typeof d.temperature !== 'string' || !d.temperature)) fail('detector.temperature must be a name or null');
  if (!Array.isArray(d.fleet) || d.fleet.length !== meters.length)
    fail(`detector.fleet must hold one baseline per meter (${meters.length})`);
  const fleet = d.fleet.map((m, i) => readMeter(m, `detector.fleet[${i}]`));
  if (!Array.isArray(d.buildings)) fail('detector.buildings must be an array');
  const seen = new Set<string>();
  const buildings: BuildingModel[] = d.buildings.map((b: unknown, i) => {
    const w = `detector.buildings[${i}]`;
    if (!isRecord(b)) fail(`${w} must be an object`);
    onlyKeys(b, ['id', 'rows', 'levels', 'meters', 'support', 'blockSupport'], w, fail);
    if (typeof b.id !== 'string') fail(`${w}.id must be a string`);
    if (seen.has(b.id)) fail(`building "${b.id}" appears twice`);
    seen.add(b.id);
    const own =
      b.meters === null
        ? null
        : Array.isArray(b.meters) && b.meters.length === meters.length
          ? b.meters
          : fail(`${w}.meters must be null or one baseline per meter`);
    return {
      id: b.id,
      rows: finite(b.rows, `${w}.rows`),
      levels: numbers(b.levels, `${w}.levels`, meters.length),
      meters: own ? own.map((m, j) => readMeter(m, `${w}.meters[${j}]`)) : null,
      ...(b.support === undefined ? {} : { support: readSupport(b.support, `${w}.support`) }),
      ...(b.blockSupport === undefined ? {} : { blockSupport: readBlockSupports(b.blockSupport, `${w}.blockSupport`, meters.length) }),
    };
  });
  if (!isRecord(v.forest)) fail('forest must be an object');
  let forest;
  try {
    forest = loadModel(v.forest);
  } catch (error) {
    fail(`forest: ${(error as Error).message}`);
  }
  if (forest.features.length !== meters.length + 3) fail(`forest has ${forest.features.length} features, expected ${meters.length + 3}`);
  const model: ContextualModel = {
    kind: 'contextual',
    meters,
    stuckColumns,
    temperature: (d.temperature as string | null) ?? null,
    settings: readSettings(d.settings),
    buildings,
    fleet,
    forest,
    forestCenter: finite(d.forestCenter, 'detector.forestCenter'),
    forestScale: finite(d.forestScale, 'detector.forestScale'),
    trainedRows: finite(d.trainedRows, 'detector.trainedRows'),
  };
  return { kind: 'contextual', timeColumn: v.timeColumn, idColumn: (v.idColumn as string | null) ?? null, model };
}
