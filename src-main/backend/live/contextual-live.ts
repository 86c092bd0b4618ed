import { scoreContextual } from '../../core/model/contextual/detector';
import type { ContextualArtifact } from '../../core/model/contextual/serialize';
import type { ContextualInput } from '../../core/model/contextual/types';
import type { Reading } from '../../core/data/readings';
import { HOUR_MS } from '../../contract/shared/time';

export interface ContextualLiveLimits {
  /** Readings kept per building (newest first kept); guards meters that report every few seconds. */
  maxRowsPerBuilding: number;
  /** Buildings kept; the one idle longest is forgotten first. */
  maxBuildings: number;
}

export const DEFAULT_LIVE_LIMITS: ContextualLiveLimits = { maxRowsPerBuilding: 2048, maxBuildings: 20_000 };

/**
 * The contextual detector on a stream. Its sequence members need each
 * building's recent past: the sustained residual a trailing window, the stuck
 * rule the run of equal values, the jump rule the reading before, and day
 * typing the calendar day so far. So every building keeps its recent readings
 * (bounded in time and count), and a batch is scored as those readings
 * followed by the new ones, through the same `scoreContextual` as a file.
 *
 * What a stream cannot know is the future: a batch is scored as a file
 * ending with its newest reading. So the stuck rule flags a run from the
 * reading at which it reaches `stuckHours` (a file marks the whole run;
 * readings of the run that arrive in the same batch as that one are marked
 * too), and day typing sees the day only up to the batch. A reading at the
 * end of a day, with a full window behind it, scores exactly as in a file.
 */
export class ContextualLive {
  private readonly history = new Map<string, Reading[]>();
  private readonly keepMs: number;
  private readonly meterAt: number[];
  private readonly stuckAt: number[];
  private readonly temperatureAt: number;

  constructor(
    private readonly artifact: ContextualArtifact,
    /** The order of `Reading.values`. */
    features: readonly string[],
    private readonly limits: ContextualLiveLimits = DEFAULT_LIVE_LIMITS,
  ) {
    const m = artifact.model;
    const at = (name: string): number => {
      const i = features.indexOf(name);
      if (i < 0) throw new Error(`the contextual model reads "${name}", which is not among the version's features`);
      return i;
    };
    this.meterAt = m.meters.map(at);
    this.stuckAt = m.stuckColumns.map(at);
    this.temperatureAt = m.temperature === null ? -1 : at(m.temperature);
    // The trailing window or the stuck run, whichever is longer, plus the calendar day it started in.
    this.keepMs = (Math.max(m.settings.windowHours, m.settings.stuckHours) + 24) * HOUR_MS;
  }

  /** Whether readings carry a building id (the version baselines each building). */
  get perBuilding(): boolean {
    return this.artifact.idColumn !== null;
  }

  /** Readings kept, over all buildings (bounded by the limits). */
  get keptReadings(): number {
    let n = 0;
    for (const h of this.history.values()) n += h.length;
    return n;
  }

  get keptBuildings(): number {
    return this.history.size;
  }

  /** Scores a batch (any order, any buildings) and remembers it as the past of later batches. */
  score(readings: readonly Reading[]): { scores: Float64Array; flags: Uint8Array } {
    const n = readings.length;
    const byBuilding = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const id = this.perBuilding ? (readings[i]!.buildingId ?? '') : '';
      let list = byBuilding.get(id);
      if (!list) byBuilding.set(id, (list = []));
      list.push(i);
    }
    const rows: Reading[] = [];
    const codes: number[] = [];
    const dictionary: string[] = [];
    /** Row in the scored input of each batch reading. */
    const rowOf = new Int32Array(n);
    for (const [id, list] of byBuilding) {
      const code = dictionary.length;
      dictionary.push(id);
      for (const r of this.history.get(id) ?? []) {
        rows.push(r);
        codes.push(code);
      }
      for (const i of list) {
        rowOf[i] = rows.length;
        rows.push(readings[i]!);
        codes.push(code);
      }
    }
    const column = (j: number): Float64Array => Float64Array.from(rows, (r) => r.values[j]!);
    const input: ContextualInput = {
      time: Float64Array.from(rows, (r) => r.time),
      groups: this.perBuilding ? { codes: Int32Array.from(codes), dictionary } : null,
      temperature: this.temperatureAt < 0 ? null : column(this.temperatureAt),
      meters: this.meterAt.map(column),
      stuckColumns: this.stuckAt.map(column),
    };
    const out = scoreContextual(this.artifact.model, input);
    const scores = new Float64Array(n);
    const flags = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      scores[i] = out.scores[rowOf[i]!]!;
      flags[i] = out.flags[rowOf[i]!]!;
    }
    for (const [id, list] of byBuilding)
      this.remember(
        id,
        list.map((i) => readings[i]!),
      );
    return { scores, flags };
  }

  private remember(id: string, fresh: Reading[]): void {
    const kept = this.history.get(id) ?? [];
    // Re-inserted so the Map's order is least recently seen first.
    this.history.delete(id);
    const all = kept.concat(fresh);
    let sorted = true;
    for (let k = 1; k < all.length; k++) if (all[k]!.time < all[k - 1]!.time) sorted = false;
    if (!sorted) all.sort((a, b) => a.time - b.time);
    const newest = all[all.length - 1]!.time;
    let from = Math.max(0, all.length - this.limits.maxRowsPerBuilding);
    while (from < all.length && all[from]!.time <= newest - this.keepMs) from++;
    this.history.set(id, from ? all.slice(from) : all);
    while (this.history.size > this.limits.maxBuildings) this.history.delete(this.history.keys().next().value!);
  }
}
