import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src-main/core/data/rng';
import { encodeBatchInto, type PredictionBatch } from '../../../src-main/core/monitoring/records';
import { recordBytes } from '../../../src-main/core/monitoring/segment-format';

/** Encoding through 32-bit views (aligned records) writes exactly the bytes of the field-by-field DataView encoding. */
describe('encodeBatchInto', () => {
  const n = 3000;
  const rng = createRng(8);
  const batch: PredictionBatch = {
    model: 'm',
    version: '1.0.0',
    features: ['a', 'b', 'c'],
    requestId: 'r',
    time: 1_700_000_000_123.5,
    latencyMs: 123.456789,
    scores: Float64Array.from({ length: n }, (_, i) => (i % 97 === 5 ? NaN : rng.next())),
    flags: Uint8Array.from({ length: n }, (_, i) => (i % 13 === 0 ? 1 : 0)),
    labels: Int8Array.from({ length: n }, (_, i) => (i % 3) - 1),
    values: [0, 1, 2].map((j) =>
      Float64Array.from({ length: n }, (_, i) => (i % 50 === j ? NaN : (rng.next() - 0.5) * 10 ** (j * 3)) + (j === 2 ? 1e-40 : 0)),
    ),
    rowTimes: Float64Array.from({ length: n }, (_, i) => (i === 7 ? NaN : 1_700_000_000_000 + i * 3_600_000 + 0.25)),
    buildingSlots: Uint16Array.from({ length: n }, (_, i) => (i * 7919) % 65536),
  };
  const size = recordBytes(3);

  const encodeAt = (shift: number, b: PredictionBatch): { bytes: Buffer; counts: unknown } => {
    const buf = Buffer.alloc(n * size + 8);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const counts = encodeBatchInto(b, 0xfedcba98, dv, shift);
    return { bytes: buf.subarray(shift, shift + n * size), counts };
  };

  it('gives the same records at an aligned offset (words) as at an unaligned one (DataView)', () => {
    for (const b of [batch, { ...batch, labels: undefined, rowTimes: undefined, buildingSlots: undefined }]) {
      const words = encodeAt(4, b);
      const fields = encodeAt(2, b);
      expect(words.bytes.equals(fields.bytes)).toBe(true);
      expect(words.counts).toEqual(fields.counts);
    }
    expect(encodeAt(0, batch).counts).toEqual({ anomalies: 231, labelled: 2000 });
  });

  it('writes the documented layout: time f64, request u32, latency f32, score f32, flag, label, building u16, features f32', () => {
    const { bytes } = encodeAt(0, batch);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const r = 13 * size;
    expect(dv.getFloat64(r, true)).toBe(batch.rowTimes![13]);
    expect(dv.getUint32(r + 8, true)).toBe(0xfedcba98);
    expect(dv.getFloat32(r + 12, true)).toBe(Math.fround(123.456789));
    expect(dv.getFloat32(r + 16, true)).toBe(Math.fround(batch.scores[13]!));
    expect([dv.getUint8(r + 20), dv.getInt8(r + 21), dv.getUint16(r + 22, true)]).toEqual([1, 0, (13 * 7919) % 65536]);
    expect(dv.getFloat32(r + 24 + 8, true)).toBe(Math.fround(batch.values[2]![13]!));
    expect(Number.isNaN(dv.getFloat64(7 * size, true))).toBe(true);
  });
});
