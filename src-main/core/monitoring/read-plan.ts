import type { Segment } from './segment';

/**
 * A contiguous slice of one segment: entries [e0, e1) and their rows [r0, r1).
 * Only a `last N` read can start inside an entry (r0 > firstRow[e0]); that entry
 * is then "clipped" and its anomaly count must be recounted from the records.
 */
export interface Piece {
  seg: Segment;
  e0: number;
  e1: number;
  r0: number;
  r1: number;
}

/** A segment a read with this model filter (and shadow choice) covers. */
function wanted(seg: Segment, model: string | undefined, shadow: boolean): boolean {
  return (model === undefined || seg.header.model === model) && (shadow || seg.header.arm !== 'shadow');
}

export function planLast(segments: readonly Segment[], n: number, model?: string, shadow = false): Piece[] {
  const pieces: Piece[] = [];
  let remaining = Math.max(0, Math.floor(n));
  for (let s = segments.length - 1; s >= 0 && remaining > 0; s--) {
    const seg = segments[s]!;
    if (!wanted(seg, model, shadow)) continue;
    const rows = seg.rows;
    if (rows === 0) continue;
    const take = Math.min(remaining, rows);
    const r0 = rows - take;
    pieces.push({ seg, e0: seg.index.entryOfRow(r0), e1: seg.index.length, r0, r1: rows });
    remaining -= take;
  }
  return pieces.reverse();
}

/** Requests with fromMs ≤ request time < toMs, in log order. */
export function planRange(segments: readonly Segment[], fromMs: number, toMs: number, model?: string, shadow = false): Piece[] {
  const pieces: Piece[] = [];
  for (const seg of segments) {
    if (!wanted(seg, model, shadow)) continue;
    const idx = seg.index;
    if (idx.length === 0 || idx.maxTime < fromMs || idx.minTime >= toMs) continue;
    const fullyInside = idx.minTime >= fromMs && idx.maxTime < toMs;
    if (fullyInside) {
      pieces.push({ seg, e0: 0, e1: idx.length, r0: 0, r1: seg.rows });
      continue;
    }
    let start = -1;
    for (let i = 0; i <= idx.length; i++) {
      const inside = i < idx.length && idx.time[i]! >= fromMs && idx.time[i]! < toMs;
      if (inside && start < 0) start = i;
      if (!inside && start >= 0) {
        pieces.push({ seg, e0: start, e1: i, r0: idx.firstRow[start]!, r1: idx.firstRow[i - 1]! + idx.rows[i - 1]! });
        start = -1;
      }
    }
  }
  return pieces;
}

/** Splits pieces at entry boundaries so each holds at most `maxRows` rows (a bigger single entry stays whole). */
export function splitPieces(pieces: readonly Piece[], maxRows: number): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const idx = p.seg.index;
    let e0 = p.e0;
    let r0 = p.r0;
    while (e0 < p.e1) {
      let e1 = e0 + 1;
      let r1 = idx.firstRow[e0]! + idx.rows[e0]!;
      while (e1 < p.e1 && idx.firstRow[e1]! + idx.rows[e1]! - r0 <= maxRows) {
        r1 = idx.firstRow[e1]! + idx.rows[e1]!;
        e1++;
      }
      out.push({ seg: p.seg, e0, e1, r0, r1: Math.min(r1, p.r1) });
      e0 = e1;
      r0 = r1;
    }
  }
  return out;
}

export function pieceRows(pieces: readonly Piece[]): number {
  let n = 0;
  for (const p of pieces) n += p.r1 - p.r0;
  return n;
}

export function pieceRequests(pieces: readonly Piece[]): number {
  let n = 0;
  for (const p of pieces) n += p.e1 - p.e0;
  return n;
}
