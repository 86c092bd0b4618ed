import type { z } from 'zod';

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
  return <I extends z.ZodType>(input: I, opts: { long?: boolean } = {}): OpSpec<I, O> => ({
    input,
    long: opts.long ?? false,
  });
}
