import type { z } from 'zod';
import { UsageError } from './args';

/**
 * Flags read through the operation's own input schema: bounds and defaults live
 * in the contract only, and an error still names the flag and says, from the
 * schema, what it accepts ("--trees must be an integer between 1 and 5000").
 */
export function flagValue<S extends z.ZodType>(field: S, flag: string, raw: string | undefined): z.output<S> {
  // Absent: the schema's default (or undefined for an optional field).
  if (raw === undefined) return field.parse(undefined);
  const direct = field.safeParse(raw);
  if (direct.success) return direct.data;
  const n = DECIMAL.test(raw.trim()) ? Number(raw) : NaN;
  if (Number.isFinite(n)) {
    const numeric = field.safeParse(n);
    if (numeric.success) return numeric.data;
    throw new UsageError(`--${flag} must be ${accepts(field)}, got ${n}.`);
  }
  throw new UsageError(`--${flag} must be ${accepts(field)}, got "${raw}".`);
}

/** A plain decimal (no hex, no "Infinity"), as a person types it. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

interface Def {
  type: string;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
  entries?: Record<string, string>;
  checks?: { _zod: { def: { check?: string; format?: string; value?: number; inclusive?: boolean } } }[];
}

const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

/** What a field accepts, in words. */
export function accepts(schema: z.ZodType): string {
  let def = defOf(schema);
  while (def.innerType && ['default', 'optional', 'nullable', 'prefault'].includes(def.type)) def = defOf(def.innerType);
  switch (def.type) {
    case 'number':
      return describeNumber(def);
    case 'enum':
      return `one of ${Object.values(def.entries ?? {}).join(', ')}`;
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(' or ');
    case 'union':
      return (def.options ?? []).map(accepts).join(' or ');
    default:
      return `a valid ${def.type}`;
  }
}

function describeNumber(def: Def): string {
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  const kind = checks.some((c) => c.format === 'safeint' || c.format === 'int32') ? 'an integer' : 'a number';
  const low = checks.find((c) => c.check === 'greater_than');
  const high = checks.find((c) => c.check === 'less_than');
  if (!low && !high) return kind;
  if (low && high) {
    if (low.inclusive && high.inclusive) return `${kind} between ${low.value} and ${high.value}`;
    return `${kind} in ${low.inclusive ? '[' : '('}${low.value}, ${high.value}${high.inclusive ? ']' : ')'}`;
  }
  if (low) return `${kind} ${low.inclusive ? '≥' : '>'} ${low.value}`;
  return `${kind} ${high!.inclusive ? '≤' : '<'} ${high!.value}`;
}
