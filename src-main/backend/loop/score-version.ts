import type { VersionMeta } from '../../contract/shared/registry';
import { predict, scoreSamples } from '../../core/model';
import type { Registry } from '../../core/registry';
import { filterRows, getColumn } from '../../core/data/table';
import type { Dataset } from '../datasets';
import { modelInput } from '../model/normalize';
import { scoreDatasetContextual } from '../model/score-contextual';
import { loadDetector } from '../model/versions';

/**
 * Scores of two versions on one evaluation set, through the scorers `score`
 * uses (either model kind), without logging. Latency is measured per chunk
 * of readings with the two versions taking turns on the same chunk, each
 * chunk timed `repeats` times keeping the fastest: on a shared machine both
 * then see the same load, and the minimum is the version's own cost.
 */

export interface VersionScores {
  algorithm: string;
  scores: Float64Array;
  flags: Uint8Array;
  /** Wall time of one full scoring. */
  latencyMs: number;
  /** p95 over chunks of the scoring time, ms per 1,000 readings. */
  latencyP95MsPer1k: number;
}

/**
 * The median over chunks of (second version's time ÷ first's) on the same
 * chunk, measured moments apart: on a loaded machine a p95 catches whichever
 * chunk a spike of other work hit, the paired median does not.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number | null {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i]! > 0) ratios.push(b[i]! / a[i]!);
  if (ratios.length === 0) return null;
  ratios.sort((x, y) => x - y);
  const mid = ratios.length >> 1;
  return ratios.length % 2 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
}

const LATENCY_CHUNK = 1024;

interface Chunk {
  start: number;
  rows: number;
  /** The evaluation set's rows this chunk scores, when they are not rows [start, start + rows). */
  index?: Uint32Array;
  run(): Float64Array;
}

/** Contextual latency is timed on groups of whole buildings (the rules need each building's whole sequence). */
const CONTEXTUAL_CHUNKS = 8;

interface Scorer {
  algorithm: string;
  rows: number;
  chunks: Chunk[];
  flagsOf(scores: Float64Array): Uint8Array;
}

async function scorer(registry: Registry, meta: VersionMeta, ds: Dataset): Promise<Scorer> {
  const detector = await loadDetector(registry, meta);
  const what = `Evaluating ${meta.model} ${meta.version}`;
  if (detector.kind === 'contextual') {
    const rows = ds.table.rowCount;
    const flags = new Uint8Array(rows);
    // Several chunks of whole buildings, so the latency rule judges a paired median, not one timing on a loaded machine.
    const chunks = buildingChunks(ds, detector.artifact.idColumn).map((index, k): Chunk => {
      const part = index ? { ...ds, table: filterRows(ds.table, membership(index, rows)) } : ds;
      return {
        start: k,
        rows: index ? index.length : rows,
        ...(index ? { index } : {}),
        run: () => {
          const r = scoreDatasetContextual(part, meta, detector.artifact, what);
          if (index) index.forEach((row, j) => (flags[row] = r.flags[j]!));
          else flags.set(r.flags);
          return r.scores;
        },
      };
    });
    return { algorithm: 'contextual', rows, chunks, flagsOf: () => flags };
  }
  const input = modelInput(ds, detector, what);
  const rows = input.raw[0]?.length ?? 0;
  const chunks: Chunk[] = [];
  for (let start = 0; start < rows; start += LATENCY_CHUNK) {
    const end = Math.min(rows, start + LATENCY_CHUNK);
    chunks.push({ start, rows: end - start, run: () => scoreSamples(detector.model, input.forestView(start, end)) });
  }
  return { algorithm: 'isolation-forest', rows, chunks, flagsOf: (scores) => predict(detector.model, scores) };
}

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? 0;
}

export async function scorePair(
  registry: Registry,
  a: VersionMeta,
  b: VersionMeta,
  ds: Dataset,
  repeats = 5,
): Promise<{ a: VersionScores; b: VersionScores; latencyRatio: number | null }> {
  const sides = [await scorer(registry, a, ds), await scorer(registry, b, ds)] as const;
  const acc = sides.map((s) => ({ scores: new Float64Array(s.rows), total: 0, perChunk: [] as number[] }));
  // One untimed run of each side's first chunk: the first call pays for compiling the scoring code.
  for (const s of sides) s.chunks[0]?.run();
  const n = Math.max(sides[0].chunks.length, sides[1].chunks.length);
  for (let i = 0; i < n; i++) {
    const best = [Infinity, Infinity];
    for (let r = 0; r < Math.max(1, repeats); r++) {
      // Turns alternate (A B, B A, …): whichever runs second finds the other's trees in the cache.
      const order = r % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
      order.forEach((k) => {
        const s = sides[k];
        const chunk = s.chunks[i];
        if (!chunk) return;
        const t0 = performance.now();
        const out = chunk.run();
        const ms = performance.now() - t0;
        if (r === 0) {
          if (chunk.index) chunk.index.forEach((row, j) => (acc[k]!.scores[row] = out[j]!));
          else acc[k]!.scores.set(out, chunk.start);
          acc[k]!.total += ms;
        }
        best[k] = Math.min(best[k]!, ms);
      });
    }
    sides.forEach((s, k) => {
      const chunk = s.chunks[i];
      if (chunk && chunk.rows > 0) acc[k]!.perChunk.push((1000 * best[k]!) / chunk.rows);
    });
  }
  const result = (k: 0 | 1): VersionScores => ({
    algorithm: sides[k].algorithm,
    scores: acc[k]!.scores,
    flags: sides[k].flagsOf(acc[k]!.scores),
    latencyMs: acc[k]!.total,
    latencyP95MsPer1k: p95(acc[k]!.perChunk),
  });
  return { a: result(0), b: result(1), latencyRatio: pairedRatio(acc[0]!.perChunk, acc[1]!.perChunk) };
}

/** Row numbers of each group of buildings (by the id column), or one null chunk when there is no id column or one building. */
function buildingChunks(ds: Dataset, idColumn: string | null): (Uint32Array | null)[] {
  const id = idColumn ? getColumn(ds.table, idColumn) : undefined;
  if (!id || id.kind !== 'category' || id.dictionary.length < 2) return [null];
  const groups = Math.min(CONTEXTUAL_CHUNKS, id.dictionary.length);
  const counts = new Uint32Array(groups);
  for (let i = 0; i < id.codes.length; i++) counts[Math.max(0, id.codes[i]!) % groups]!++;
  const out = Array.from(counts, (n) => new Uint32Array(n));
  const at = new Uint32Array(groups);
  for (let i = 0; i < id.codes.length; i++) {
    const g = Math.max(0, id.codes[i]!) % groups;
    out[g]![at[g]!++] = i;
  }
  return out.filter((rows) => rows.length > 0);
}

function membership(index: Uint32Array, rows: number): Uint8Array {
  const keep = new Uint8Array(rows);
  for (const r of index) keep[r] = 1;
  return keep;
}
