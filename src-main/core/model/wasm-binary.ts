/**
 * Just enough of the WebAssembly binary format (spec §5) to build a module
 * whose code is written out in TypeScript: one imported memory and exported
 * functions over i32 and f64 values. The forest walk (forest-walk-wasm.ts)
 * is written this way so its instructions live in the source as readable
 * code, not as an opaque blob, and no toolchain is needed to build it.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export type ValueType = typeof I32 | typeof F64;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`uleb: ${n} is not a non-negative integer`);
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) throw new Error(`sleb: ${n} is not a 32-bit integer`);
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

/** Appends `items` to `out` (a loop: spreading a long code array is slow in a cold process, and this runs at each start). */
function append(out: number[], items: ArrayLike<number>): void {
  for (let i = 0; i < items.length; i++) out.push(items[i]!);
}

function vector(items: number[][]): number[] {
  const out = uleb(items.length);
  for (const item of items) append(out, item);
  return out;
}

function section(id: number, body: number[]): number[] {
  const out = [id, ...uleb(body.length)];
  append(out, body);
  return out;
}

/** Instructions used by this project's kernels (opcodes from the spec's instruction index). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  get: (local: number): number[] => [0x20, ...uleb(local)],
  set: (local: number): number[] => [0x21, ...uleb(local)],
  tee: (local: number): number[] => [0x22, ...uleb(local)],
  /** Loads and stores take a byte offset added to the address on the stack (alignment hint: natural). */
  i32Load: (offset = 0): number[] => [0x28, 2, ...uleb(offset)],
  f64Load: (offset = 0): number[] => [0x2b, 3, ...uleb(offset)],
  f64Store: (offset = 0): number[] => [0x39, 3, ...uleb(offset)],
  i32Const: (n: number): number[] => [0x41, ...sleb(n)],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Shl: [0x74],
  f64Gt: [0x64],
  f64Add: [0xa0],
} as const;

export interface WasmFunction {
  name: string;
  params: ValueType[];
  /** Locals after the parameters (numbered on from them). */
  locals: ValueType[];
  /** The body's instructions, without the final `end`. */
  code: (number | readonly number[])[];
}

/** A module importing its memory as env.memory and exporting `functions` (no results). */
export function wasmModule(functions: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = section(1, vector(functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...uleb(0)])));
  const imports = section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(0)]]));
  const declared = section(3, vector(functions.map((_, i) => uleb(i))));
  const exports = section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const bodies = functions.map((f) => {
    const body = vector(f.locals.map((t) => [...uleb(1), t]));
    for (const c of f.code) {
      if (typeof c === 'number') body.push(c);
      else append(body, c);
    }
    append(body, op.end);
    const entry = uleb(body.length);
    append(entry, body);
    return entry;
  });
  const code = section(10, vector(bodies));
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  for (const part of [types, imports, declared, exports, code]) append(out, part);
  return Uint8Array.from(out);
}
