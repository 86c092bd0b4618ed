/**
 * The contract, in two parts:
 * - `shared/`: the zod-free leaf (types, errors, constants such as bounds and
 *   defaults). Core and the renderer import only this (the renderer may take
 *   types from the rest, never values; ESLint enforces both).
 * - `ops/`, `define.ts`, `settings.ts` and this file: the zod input schemas and
 *   the operation table, used where requests enter (worker, IPC, HTTP, CLI).
 */
import type { z } from 'zod';
import { joinOps, type OpSpec } from './define';
import { GreenLensError } from './shared/errors';
import { abOps } from './ops/ab';
import { alertOps } from './ops/alerts';
import { appOps, hostOps } from './ops/app';
import { buildingOps } from './ops/buildings';
import { dataOps } from './ops/data';
import { liveOps } from './ops/live';
import { loopOps } from './ops/loop';
import { modelOps } from './ops/model';
import { monitoringOps } from './ops/monitoring';
import { registryOps } from './ops/registry';
import { reportOps } from './ops/report';

export * from './shared/errors';
export type * from './shared/events';
export type { OpSpec } from './define';

/** The single handler table: every operation any UI or the CLI can ask for. */
export const workerOps = joinOps(
  appOps,
  dataOps,
  registryOps,
  modelOps,
  monitoringOps,
  liveOps,
  alertOps,
  loopOps,
  reportOps,
  buildingOps,
  abOps,
);

export { hostOps };
export const ops = joinOps(hostOps, workerOps);

export type Ops = typeof ops;
export type OpName = keyof Ops;
export type HostOpName = keyof typeof hostOps;
export type WorkerOpName = keyof typeof workerOps;
/** What a caller sends (defaults may be omitted). */
export type OpInput<K extends OpName> = z.input<Ops[K]['input']>;
/** What a handler receives, after validation and defaults. */
export type OpArgs<K extends OpName> = z.output<Ops[K]['input']>;
export type OpOutput<K extends OpName> = Ops[K] extends OpSpec<z.ZodType, infer O> ? O : never;

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(ops, name);
}

export function isHostOp(name: OpName): name is HostOpName {
  return Object.prototype.hasOwnProperty.call(hostOps, name);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): { field: string; message: string } {
  const field = issue.path.length ? issue.path.map(String).join('.') : '(input)';
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined
        ? { field, message: `field "${field}" is required (${issue.expected})` }
        : { field, message: `field "${field}" must be ${issue.expected}` };
    case 'unrecognized_keys':
      return { field: issue.keys[0] ?? field, message: `unknown field "${issue.keys.join('", "')}"` };
    default:
      return { field, message: `field "${field}": ${issue.message}` };
  }
}

/** Validates an untrusted request at a boundary; errors name the op and the field. */
export function parseRequest<K extends OpName>(name: unknown, input: unknown): { op: K; args: OpArgs<K> } {
  if (!isOpName(name)) {
    throw new GreenLensError('unknown_op', `Unknown operation "${String(name)}".`, {
      hint: 'See the contract in src-main/contract for the list of operations.',
    });
  }
  const spec = ops[name];
  const result = spec.input.safeParse(input ?? {});
  if (!result.success) {
    const first = describeIssue(result.error.issues[0]!, input);
    throw new GreenLensError('invalid_input', `Invalid input for ${name}: ${first.message}.`, { field: first.field });
  }
  return { op: name as K, args: result.data as OpArgs<K> };
}
