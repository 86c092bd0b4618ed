import path from 'node:path';
import { appendLine, readNdjson } from './atomic';
import { deploymentEventSchema } from './schema';
import type { AliasEvent, DeploymentEvent } from './types';

/**
 * deployments.ndjson is the append-only audit trail of alias moves and
 * archives. It is written before the manifest, so after a crash between the
 * two the log holds the intent and the next writer rolls the manifest forward
 * (see Registry.repair); nothing in it is ever rewritten.
 */

export const DEPLOYMENTS_FILE = 'deployments.ndjson';

export const deploymentsPath = (root: string): string => path.join(root, DEPLOYMENTS_FILE);

export interface DeploymentLog {
  events: DeploymentEvent[];
  tornLines: number;
  /** Complete lines that are not valid JSON or not a valid event. */
  badLines: { line: number; text: string }[];
}

export async function readDeployments(root: string): Promise<DeploymentLog> {
  const read = await readNdjson(deploymentsPath(root));
  const log: DeploymentLog = { events: [], tornLines: read.tornLines, badLines: [...read.badLines] };
  read.records.forEach((record, i) => {
    const parsed = deploymentEventSchema.safeParse(record);
    if (parsed.success) log.events.push(parsed.data);
    else log.badLines.push({ line: read.recordLines[i] ?? 0, text: JSON.stringify(record).slice(0, 80) });
  });
  return log;
}

export async function appendDeployment(root: string, event: DeploymentEvent): Promise<void> {
  await appendLine(deploymentsPath(root), JSON.stringify(event));
}

export function isAliasEvent(event: DeploymentEvent): event is AliasEvent {
  return event.action === 'promote' || event.action === 'rollback';
}

/**
 * The versions `alias` of `model` has stood on, oldest first, as a stack: a
 * promote pushes, a rollback pops. Rolling back goes to the entry below the
 * top, so promote A, promote B, rollback (→ A), rollback leaves nothing to go
 * back to instead of flip-flopping to B. Logs written before rollbacks popped
 * (a rollback that went somewhere else) still read: the stack then ends on
 * wherever that rollback went.
 */
export function aliasStack(events: readonly DeploymentEvent[], model: string, alias: string): string[] {
  const stack: string[] = [];
  for (const e of events) {
    if (!isAliasEvent(e) || e.model !== model || e.alias !== alias) continue;
    if (e.action === 'promote') {
      if (stack.length === 0 && e.from !== null) stack.push(e.from);
      stack.push(e.to);
    } else {
      stack.pop();
      if (stack.at(-1) !== e.to) stack.push(e.to);
    }
  }
  return stack;
}

/** Where a rollback of `alias` would move it, or null when there is nothing to roll back to. */
export function rollbackTarget(events: readonly DeploymentEvent[], model: string, alias: string): string | null {
  const stack = aliasStack(events, model, alias);
  return stack.length >= 2 ? stack[stack.length - 2]! : null;
}
