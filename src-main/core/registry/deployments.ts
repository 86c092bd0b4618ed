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

/** The most recent move of `alias` on `model`, or null if it never moved. */
export function lastAliasEvent(events: readonly DeploymentEvent[], model: string, alias: string): AliasEvent | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (isAliasEvent(e) && e.model === model && e.alias === alias) return e;
  }
  return null;
}
