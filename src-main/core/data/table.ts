/**
 * A columnar table: numbers in Float64Array (NaN = missing), categories as
 * Int32Array codes into a dictionary (-1 = missing), times as epoch ms.
 * Memory stays proportional to rows × kept columns, never to CSV text.
 */
export type Column =
  | { name: string; kind: 'number'; values: Float64Array }
  | { name: string; kind: 'time'; values: Float64Array }
  | { name: string; kind: 'category'; codes: Int32Array; dictionary: string[] };

export interface Table {
  rowCount: number;
  columns: Column[];
}

export function getColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

export function numericValues(column: Column): Float64Array {
  if (column.kind === 'category') {
    const out = new Float64Array(column.codes.length);
    for (let i = 0; i < out.length; i++) out[i] = column.codes[i]! < 0 ? NaN : column.codes[i]!;
    return out;
  }
  return column.values;
}

export function cellText(column: Column, row: number): string {
  if (column.kind === 'category') {
    const code = column.codes[row]!;
    return code < 0 ? '' : column.dictionary[code]!;
  }
  const v = column.values[row]!;
  if (Number.isNaN(v)) return '';
  if (column.kind === 'time') return new Date(v).toISOString();
  return formatNumber(v);
}

const POW10 = [1, 10, 100, 1000, 10000];

/**
 * The shortest text that reads back as the same number: exactly String(v),
 * never rounded (a CSV must round-trip; rounding wrote 0.99995 as "1.0").
 * Sensor readings mostly have at most 4 decimals; for those the text is built
 * from an integer, because String() of a fraction (the shortest round-trip
 * search) costs ~20× more and dominates writing a CSV. When v is exactly the
 * double nearest a decimal with d ≤ 4 digits (and below 1e11, so the integer
 * is exact), the first such d is the shortest representation, which is what
 * String() prints. Everything else goes to String().
 */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e11) return String(v);
  for (let d = 1; d <= 4; d++) {
    const p = POW10[d]!;
    const n = Math.round(a * p);
    if (n / p !== a) continue;
    let digits = String(n);
    if (digits.length <= d) digits = '0'.repeat(d - digits.length + 1) + digits;
    const text = `${digits.slice(0, digits.length - d)}.${digits.slice(digits.length - d)}`;
    return v < 0 ? `-${text}` : text;
  }
  return String(v);
}

/** Rows of a table, in order, where keep[i] is true. */
export function filterRows(table: Table, keep: Uint8Array): Table {
  let n = 0;
  for (let i = 0; i < keep.length; i++) n += keep[i]!;
  const columns = table.columns.map((c): Column => {
    if (c.kind === 'category') {
      const codes = new Int32Array(n);
      for (let i = 0, j = 0; i < keep.length; i++) if (keep[i]) codes[j++] = c.codes[i]!;
      return { ...c, codes };
    }
    const values = new Float64Array(n);
    for (let i = 0, j = 0; i < keep.length; i++) if (keep[i]) values[j++] = c.values[i]!;
    return { ...c, values };
  });
  return { rowCount: n, columns };
}

/**
 * Rows [from, to) of a table. `copy` gives columns with their own buffers
 * (to transfer to a thread); otherwise they are views of the table's.
 */
export function sliceRows(table: Table, from: number, to: number, copy: boolean): Table {
  const columns = table.columns.map((c): Column =>
    c.kind === 'category'
      ? { ...c, codes: copy ? c.codes.slice(from, to) : c.codes.subarray(from, to) }
      : { ...c, values: copy ? c.values.slice(from, to) : c.values.subarray(from, to) },
  );
  return { rowCount: Math.max(0, to - from), columns };
}

/** Whether `t` holds every column of `first` with the same kind (what concatTables needs). */
export function hasColumnsOf(first: Table, t: Table): boolean {
  return first.columns.every((c) => getColumn(t, c.name)?.kind === c.kind);
}

/**
 * The rows of several tables one after another, with the first table's
 * columns (matched by name and kind; category codes remapped onto one
 * dictionary). A table lacking one of those columns, or holding it as another
 * kind, is left out and its index returned in `skipped`.
 */
export function concatTables(tables: Table[]): { table: Table; skipped: number[] } {
  const first = tables[0];
  if (!first) return { table: { rowCount: 0, columns: [] }, skipped: [] };
  const skipped: number[] = [];
  const used = tables.filter((t, i) => {
    const ok = hasColumnsOf(first, t);
    if (!ok) skipped.push(i);
    return ok;
  });
  const rows = used.reduce((n, t) => n + t.rowCount, 0);
  const columns = first.columns.map((c): Column => {
    const parts = used.map((t) => getColumn(t, c.name)!);
    if (c.kind === 'category') {
      const dictionary: string[] = [];
      const index = new Map<string, number>();
      const codes = new Int32Array(rows);
      let at = 0;
      for (const p of parts) {
        if (p.kind !== 'category') continue;
        const remap = p.dictionary.map((word) => {
          let k = index.get(word);
          if (k === undefined) {
            k = dictionary.push(word) - 1;
            index.set(word, k);
          }
          return k;
        });
        for (let i = 0; i < p.codes.length; i++) codes[at++] = p.codes[i]! < 0 ? -1 : remap[p.codes[i]!]!;
      }
      return { name: c.name, kind: 'category', codes, dictionary };
    }
    const values = new Float64Array(rows);
    let at = 0;
    for (const p of parts) {
      if (p.kind === 'category') continue;
      values.set(p.values, at);
      at += p.values.length;
    }
    return { name: c.name, kind: c.kind, values };
  });
  return { table: { rowCount: rows, columns }, skipped };
}
