import { promises as fs } from 'node:fs';
import { readNdjson } from '../registry/atomic';
import { checkAbFile } from './ab-store';
import { jobsPath } from './jobs';
import { parseWatchState, watchStatePath } from './watch-state';
import path from 'node:path';

/**
 * `registry verify` for the automation files (ARCHITECTURE §4): jobs.ndjson may only have a torn last line
 * (a warning), watch/state.json must parse. policy.json must be a JSON object
 * (its schema is applied by whoever reads it). Returns the files checked.
 */
export async function checkLoopFiles(
  root: string,
  error: (file: string, message: string) => void,
  warn: (file: string, message: string) => void,
): Promise<number> {
  let checked = 0;
  const policyFile = path.join(root, 'policy.json');
  const policyText = await readIfExists(policyFile);
  if (policyText !== null) {
    checked++;
    try {
      // The schema (contract/ops/loop.ts) is applied where the policy is read; here: is it a JSON object at all.
      const parsed: unknown = JSON.parse(policyText);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) error(policyFile, 'is not a JSON object');
    } catch (e) {
      error(policyFile, `not valid JSON: ${(e as Error).message}`);
    }
  }
  const jobs = await readNdjson(jobsPath(root)).catch((e: unknown) => {
    error(jobsPath(root), (e as Error).message);
    return null;
  });
  if (jobs && (jobs.records.length > 0 || jobs.tornLines > 0)) {
    checked++;
    if (jobs.tornLines > 0)
      warn(jobsPath(root), 'the last line is incomplete (an append was interrupted); it is ignored and cut off by the next write');
    for (const bad of jobs.badLines) error(jobsPath(root), `line ${bad.line} is not valid JSON: ${bad.text}`);
  }
  const stateText = await readIfExists(watchStatePath(root));
  if (stateText !== null) {
    checked++;
    try {
      parseWatchState(stateText, watchStatePath(root));
    } catch (e) {
      error(watchStatePath(root), (e as Error).message);
    }
  }
  checked += await checkAbFile(root, error);
  return checked;
}

async function readIfExists(file: string): Promise<string | null> {
  return fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
}
