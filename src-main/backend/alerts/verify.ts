import type { VerifyProblem, VerifyResult } from '../../contract/shared/registry';
import { GreenLensError } from '../../contract';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import { feedbackPath, readFeedback } from '../feedback/store';
import { alertsPath, readAlertEvents, readHooks, readRules } from './store';

/**
 * `registry verify` for the alert and feedback files: the rules and hooks against
 * their schemas, the two append-only histories for torn and bad lines.
 */
export async function verifyAlertFiles(root: string): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const fail = (file: string, e: unknown): void => {
    problems.push({ file, message: e instanceof GreenLensError ? e.message : String(e), severity: 'error' });
  };
  await readRules(root, DEFAULT_SETTINGS.thresholds).catch((e: unknown) => fail(alertsPath(root, 'rules.json'), e));
  await readHooks(root).catch((e: unknown) => fail(alertsPath(root, 'hooks.json'), e));
  const logs: [string, () => Promise<{ tornLines: number; badLines: { line: number; text: string }[] }>, string][] = [
    [alertsPath(root, 'events.ndjson'), () => readAlertEvents(root), 'alert event'],
    [feedbackPath(root), () => readFeedback(root), 'feedback record'],
  ];
  for (const [file, read, what] of logs) {
    try {
      const r = await read();
      if (r.tornLines > 0)
        problems.push({
          file,
          severity: 'warning',
          message: 'the last line is incomplete (an append was interrupted); it is ignored and cut off by the next write',
        });
      for (const bad of r.badLines)
        problems.push({ file, severity: 'error', message: `line ${bad.line} is not a valid ${what}: ${bad.text}` });
    } catch (e) {
      fail(file, e);
    }
  }
  return problems;
}

/** The registry's verify result with the alert files' problems added. */
export function withAlertProblems(result: VerifyResult, extra: VerifyProblem[]): VerifyResult {
  const problems = [...result.problems, ...extra];
  return { ...result, problems, ok: !problems.some((p) => p.severity === 'error') };
}
