import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GreenLensError } from '../../contract';
import { PolicySchema } from '../../contract/ops/loop';
import type { ScheduleInfo } from '../../contract/shared/loop';
import type { VersionMeta } from '../../contract/shared/registry';
import { withLock, writeFileAtomic } from '../../core/registry';
import type { z } from 'zod';

/**
 * policy.json in the registry (ARCHITECTURE §4): when to retrain, when to
 * promote and by which rules, schedules and watched folders. Every field has
 * a default, so a missing file is the default policy and a minimal file is a
 * whole one. `watch --policy FILE` reads a file of the same shape.
 */

export type Policy = z.output<typeof PolicySchema>;
export const POLICY_FILE = 'policy.json';
export const policyPath = (root: string): string => path.join(root, POLICY_FILE);

/** Parses a policy file's text; an error names the file and the field. */
export function parsePolicy(text: string, file: string): Policy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new GreenLensError('invalid_input', `${file} is not valid JSON: ${(error as Error).message}.`, { file });
  }
  const parsed = PolicySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(root)';
    const what = issue.code === 'unrecognized_keys' ? `unknown field "${issue.keys.join('", "')}"` : issue.message;
    throw new GreenLensError('invalid_input', `${file}: ${field}: ${what}.`, { file, field });
  }
  return parsed.data;
}

export async function readPolicyFile(file: string): Promise<Policy> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new GreenLensError('not_found', `Cannot read the policy file ${file}: ${(error as Error).message}.`, { file });
  }
  return parsePolicy(text, file);
}

/** The registry's policy; the defaults when it has no policy.json. */
export async function readRegistryPolicy(root: string): Promise<{ policy: Policy; stored: boolean }> {
  const file = policyPath(root);
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return text === null ? { policy: PolicySchema.parse({}), stored: false } : { policy: parsePolicy(text, file), stored: true };
}

export async function writeRegistryPolicy(root: string, policy: Policy): Promise<void> {
  await withLock(root, () => writeFileAtomic(policyPath(root), `${JSON.stringify(policy, null, 2)}\n`));
}

/** The anomaly rate a version is meant to flag: its contamination when numeric, else 1 %. */
export function targetRate(policy: Policy, champion: VersionMeta): number {
  if (policy.promote.rules.anomalyRateTarget !== undefined) return policy.promote.rules.anomalyRateTarget;
  const c = champion.params.contamination;
  return typeof c === 'number' && c > 0 ? c : 0.01;
}

/** Each schedule with its next run (croner), or the expression's error. */
export async function scheduleInfo(policy: Policy, now = new Date()): Promise<ScheduleInfo[]> {
  // Loaded when a schedule is read: every CLI command loads this module, few of them need cron (~5 ms of each start).
  const { Cron } = await import('croner');
  return policy.schedule.map((s) => {
    try {
      const next = new Cron(s.cron, { paused: true, timezone: 'UTC' }).nextRun(now);
      return { cron: s.cron, task: s.task, nextRun: next ? next.toISOString() : null };
    } catch (error) {
      return { cron: s.cron, task: s.task, nextRun: null, error: (error as Error).message };
    }
  });
}
