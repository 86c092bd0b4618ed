import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { GreenLensError } from '../../contract';
import { PredictionLog, requestIdHash, type PredictionBatch } from '../../core/monitoring';
import { ARMS } from '../../contract/shared/ab';
import { withLock, writeFileAtomic } from '../../core/registry';
import { appendLines, readNdjson } from '../../core/registry/atomic';
import { buildingSlots, readBuildingNamesFile } from '../monitoring/buildings';
import { logPredictions } from '../prediction-sink';
import { EXPLANATIONS_FILE } from '../report/explanation-log';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';

/**
 * `greenlens registry merge-log`: folds the prediction logs of stream workers
 * (each with its own registry copy) into one registry, so drift, health and
 * reports see the whole fleet. Every source request becomes one request here,
 * with its rows, reading times, latency, labels, model version and each
 * reading's building (by name: the two registries number buildings
 * differently), and its explanation line when it flagged anything. A ledger
 * (predictions/merged-sources.json) remembers, per source log, the newest
 * request merged, so merging again adds only what is new: running it twice
 * adds nothing, and running it every few minutes follows a live worker.
 */
export const LEDGER_FILE = 'merged-sources.json';

interface SourceMark {
  /** Request time (epoch ms) of the newest request merged. */
  lastTime: number;
  /** Request id hashes merged at exactly `lastTime` (a batch of requests can share a millisecond). */
  idsAtLastTime: number[];
}

interface Ledger {
  format: 'greenlens-merged-sources';
  sources: Record<string, SourceMark>;
}

export interface MergeSourceResult {
  source: string;
  requests: number;
  readings: number;
  /** Requests already merged earlier (left out). */
  skippedRequests: number;
}

/** The source's prediction folder: DIR/predictions for a registry, else DIR itself (a bare log folder). */
async function sourceLogDir(path: string): Promise<string> {
  const nested = join(path, 'predictions');
  const isDir = async (p: string): Promise<boolean> => (await stat(p).catch(() => null))?.isDirectory() ?? false;
  if (await isDir(nested)) return realpath(nested);
  if (await isDir(path)) return realpath(path);
  throw new GreenLensError('not_found', `No prediction log at ${path}.`, {
    file: path,
    field: 'from',
    hint: 'Name a stream worker registry (the folder with predictions/ inside) or its predictions folder.',
  });
}

async function readLedger(file: string): Promise<Ledger> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { format: 'greenlens-merged-sources', sources: {} };
  }
  try {
    const parsed = JSON.parse(text) as Ledger;
    if (parsed.format !== 'greenlens-merged-sources' || typeof parsed.sources !== 'object' || parsed.sources === null)
      throw new Error('unknown format');
    return parsed;
  } catch (error) {
    throw new GreenLensError('corrupt', `${file} cannot be read: ${(error as Error).message}.`, {
      file,
      hint: 'Restore it from a backup; deleting it makes the next merge add every source request again.',
    });
  }
}

export async function mergePredictionLogs(state: BackendState, sources: string[]): Promise<MergeSourceResult[]> {
  const registry = await currentRegistry(state);
  const target = await realpath(join(registry.dir, 'predictions')).catch(() => join(registry.dir, 'predictions'));
  const ledgerFile = join(registry.dir, 'predictions', LEDGER_FILE);
  return withLock(registry.dir, async () => {
    const ledger = await readLedger(ledgerFile);
    const out: MergeSourceResult[] = [];
    for (const source of sources) {
      const dir = await sourceLogDir(source);
      if (dir === target)
        throw new GreenLensError('invalid_input', `${source} is this registry's own prediction log.`, { field: 'from', file: source });
      const mark = ledger.sources[dir] ?? { lastTime: -1, idsAtLastTime: [] };
      const { batches, sourceSlots, mergedIds, skipped, next } = await newRequests(dir, mark);
      await renumberBuildings(registry.dir, join(dir, basename(BUILDINGS_IN_LOG)), batches, sourceSlots);
      if (batches.length) await logPredictions(state, batches);
      await copyExplanations(join(dir, basename(EXPLANATIONS_FILE)), join(registry.dir, EXPLANATIONS_FILE), mergedIds);
      ledger.sources[dir] = next;
      // After each source: a failure later leaves what was merged recorded, so a retry does not add it twice.
      await writeFileAtomic(ledgerFile, JSON.stringify(ledger, null, 2) + '\n');
      out.push({
        source: dir,
        requests: batches.length,
        readings: batches.reduce((n, b) => n + b.scores.length, 0),
        skippedRequests: skipped,
      });
    }
    return out;
  });
}

/** buildings.json sits in the prediction-log folder. */
const BUILDINGS_IN_LOG = 'buildings.json';

/**
 * A source slot k names the source's k-th building; the same building may have
 * another slot here (or none yet: it is appended). Only names the merged
 * readings use are added. Slot 0 (unknown) and a slot past the source's list stay unknown.
 */
async function renumberBuildings(registryDir: string, namesFile: string, batches: PredictionBatch[], sourceSlots: Uint16Array[]) {
  const used = new Set<number>();
  for (const slots of sourceSlots) for (const s of slots) used.add(s);
  used.delete(0);
  if (used.size === 0) return;
  const names = await readBuildingNamesFile(namesFile);
  const known = [...used].filter((s) => s <= names.length).sort((a, b) => a - b);
  const targets = await buildingSlots(registryDir, { codes: Int32Array.from(known.keys()), dictionary: known.map((s) => names[s - 1]!) });
  const toTarget = new Uint16Array(names.length + 1);
  known.forEach((s, i) => (toTarget[s] = targets[i]!));
  batches.forEach((b, i) => (b.buildingSlots = sourceSlots[i]!.map((s) => toTarget[s] ?? 0)));
}

/** The explanation lines of the merged requests, under their merged ids (other fields kept as written). */
async function copyExplanations(from: string, to: string, mergedIds: Map<number, string>): Promise<void> {
  if (mergedIds.size === 0) return;
  const { records } = await readNdjson(from);
  const lines: string[] = [];
  for (const r of records) {
    const id = (r as { requestId?: unknown }).requestId;
    const merged = typeof id === 'string' ? mergedIds.get(requestIdHash(id)) : undefined;
    if (merged !== undefined) lines.push(JSON.stringify({ ...(r as object), requestId: merged }));
  }
  await appendLines(to, lines);
}

interface NewRequests {
  batches: PredictionBatch[];
  /** Per batch, its readings' building slots as the source numbers them. */
  sourceSlots: Uint16Array[];
  /** Source request id hash → the merged request id. */
  mergedIds: Map<number, string>;
  skipped: number;
  next: SourceMark;
}

/** The source's requests after `mark`, as batches in log order, and the new mark. */
async function newRequests(dir: string, mark: SourceMark): Promise<NewRequests> {
  const log = await PredictionLog.open(dir);
  try {
    const versions = log.versions();
    const features = [...new Set(versions.flatMap((v) => v.features))];
    // Shadow predictions too: each request keeps its arm (ARCHITECTURE §6).
    const cols = await log.readRange(-Infinity, Infinity, { columns: features, shadow: true });
    const req = cols.requests;
    const batches: PredictionBatch[] = [];
    const sourceSlots: Uint16Array[] = [];
    const mergedIds = new Map<number, string>();
    const seenAtLast = new Set(mark.idsAtLastTime);
    let next: SourceMark = { lastTime: mark.lastTime, idsAtLastTime: [...mark.idsAtLastTime] };
    let skipped = 0;
    const tag = createHash('sha256').update(dir).digest('hex').slice(0, 8);
    let row = 0;
    for (let k = 0; k < req.length; k++) {
      const n = req.rows[k]!;
      const r0 = row;
      row += n;
      const time = req.time[k]!;
      const id = req.requestId[k]!;
      if (time < mark.lastTime || (time === mark.lastTime && seenAtLast.has(id))) {
        skipped++;
        continue;
      }
      const ref = cols.versions[cols.versionIndex[r0]!]!;
      const names = versions.find((v) => v.model === ref.model && v.version === ref.version)!.features;
      const r1 = r0 + n;
      const requestId = `merged-${tag}-${id.toString(16)}-${time}`;
      mergedIds.set(id, requestId);
      sourceSlots.push(cols.building.slice(r0, r1));
      batches.push({
        model: ref.model,
        version: ref.version,
        features: names,
        requestId,
        time,
        latencyMs: req.latencyMs[k]!,
        scores: Float64Array.from(cols.score.subarray(r0, r1)),
        flags: cols.flag.slice(r0, r1),
        labels: cols.label.slice(r0, r1),
        values: names.map((f) => cols.features[f]!.slice(r0, r1)),
        rowTimes: cols.time.slice(r0, r1),
        arm: ARMS[req.arm[k]!] ?? 'champion',
      });
      if (time > next.lastTime) next = { lastTime: time, idsAtLastTime: [id] };
      else if (time === next.lastTime) next.idsAtLastTime.push(id);
    }
    return { batches, sourceSlots, mergedIds, skipped, next };
  } finally {
    await log.close();
  }
}
