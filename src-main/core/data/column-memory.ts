/**
 * Where an import's columns live. 'shared' puts them in SharedArrayBuffers so
 * other threads read them where they are: the CLI's score of a large file
 * hands rows to a scoring thread while the file is read, and a formatting
 * thread writes the output, and copying the columns for them was ~20 MB of
 * fresh memory on the thread that reads the file (issue 8).
 */
export type ColumnMemory = 'own' | 'shared';

type NumberArray = Float64Array | Int32Array;
type NumberArrayClass<T extends NumberArray> = { new (length: number): T; new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };

export function isShared(a: ArrayBufferView): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

/** Where `a` is: an array derived from a column goes in the same kind of memory. */
export function memoryOf(a: ArrayBufferView): ColumnMemory {
  return isShared(a) ? 'shared' : 'own';
}

/** A zeroed array of `length` elements in `memory`. */
export function allocColumn<T extends NumberArray>(type: NumberArrayClass<T>, length: number, memory: ColumnMemory): T {
  return memory === 'shared' ? new type(new SharedArrayBuffer(length * type.BYTES_PER_ELEMENT)) : new type(length);
}

/** The first `length` elements of `a` (zero-padded when longer) in a new array, in `memory` (default: where `a` is). */
export function resizedCopy<T extends NumberArray>(a: T, length: number, memory: ColumnMemory = memoryOf(a)): T {
  const next = allocColumn(a.constructor as NumberArrayClass<T>, length, memory);
  next.set(a.subarray(0, Math.min(length, a.length)));
  return next;
}

/** `a` in shared memory, for another thread to read without a copy of its own: `a` itself when it is there already. */
export function inSharedMemory<T extends NumberArray>(a: T): T {
  return isShared(a) ? a : resizedCopy(a, a.length, 'shared');
}
