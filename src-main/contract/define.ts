import { z } from 'zod';

/**
 * One operation of the contract: an input schema (validated at the boundary)
 * and an output type (a phantom: only the type travels, never a value).
 */
export interface OpSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  /** Long jobs report progress and can be cancelled. */
  readonly long: boolean;
  readonly __output?: O;
}

export function op<O>() {
  // The schema is built on first use: a command or window uses a few of the contract's operations, and building
  // every schema at load was ~10–15 ms of each CLI command's start.
  return <I extends z.ZodType>(input: () => I, opts: { long?: boolean } = {}): OpSpec<I, O> => {
    let schema: I | undefined;
    return {
      get input() {
        return (schema ??= input());
      },
      long: opts.long ?? false,
    };
  };
}

/** Bounds and default of a numeric field, declared once in the zod-free leaf (contract/shared). */
export interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

export const boundedInt = (b: Bounds) => z.number().int().min(b.min).max(b.max).default(b.default);
export const boundedNumber = (b: Bounds) => z.number().min(b.min).max(b.max).default(b.default);

/** Names that occur in more than one group, given the names of the groups before. */
type Duplicates<G extends readonly object[], Seen extends PropertyKey = never> = G extends readonly [
  infer H extends object,
  ...infer R extends readonly object[],
]
  ? (keyof H & Seen) | Duplicates<R, Seen | keyof H>
  : never;
type Joined<G extends readonly object[]> = G extends readonly [infer H, ...infer R extends readonly object[]] ? H & Joined<R> : unknown;

/**
 * Joins operation groups into one table. An operation name in two groups would
 * silently let the later spread win: here it is a type error naming the
 * operation (and, for callers tsc does not see, an error at load).
 */
export function joinOps<const G extends readonly object[]>(
  ...groups: G & ([Duplicates<G>] extends [never] ? unknown : { duplicateOperation: Duplicates<G> })
): Joined<G> {
  const table: Record<string, unknown> = {};
  for (const group of groups) {
    for (const [name, spec] of Object.entries(group)) {
      if (Object.prototype.hasOwnProperty.call(table, name)) throw new Error(`Operation "${name}" is defined in two groups.`);
      table[name] = spec;
    }
  }
  return table as Joined<G>;
}
