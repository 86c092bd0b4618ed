import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertHook, AlertView } from '../../contract/shared/alerts';
import { writeFileAtomic } from '../../core/registry';

/** What every hook receives: why it was called and the alert as lists show it. */
export interface AlertNotice {
  event: 'open' | 'repeat';
  alert: AlertView;
}

const HOOK_TIMEOUT_MS = 10_000;

/** One line a person reads in a chat or a notification. */
export function noticeText(n: AlertNotice): string {
  const a = n.alert;
  const again = n.event === 'repeat' ? ' (still firing)' : '';
  return `GreenLens ${a.severity.toUpperCase()} ${a.id}${again}: ${a.message}`;
}

export function describeHook(h: AlertHook): string {
  return h.type === 'command' ? `command ${h.command}` : h.type === 'folder' ? `folder ${h.dir}` : `http ${h.url}`;
}

/**
 * Runs one hook. Made for closed networks: a program (no shell; the notice as
 * JSON on stdin and in GREENLENS_ALERT), a JSON file dropped atomically in a
 * folder another tool watches, or a Slack-compatible POST (`{"text": …}`) to a
 * LAN address. Rejects with a reason; callers log it and go on.
 */
export async function runHook(hook: AlertHook, notice: AlertNotice): Promise<void> {
  const json = JSON.stringify(notice);
  if (hook.type === 'command') {
    // Loaded when a command hook runs: node:child_process (with node:net and node:dgram) would add to every scoring's start-up.
    const { execFile } = await import('node:child_process');
    await new Promise<void>((done, fail) => {
      const child = execFile(
        hook.command,
        hook.args,
        { timeout: HOOK_TIMEOUT_MS, env: { ...process.env, GREENLENS_ALERT: json }, windowsHide: true },
        (error, _stdout, stderr) => {
          if (error) fail(new Error(`${error.message.split('\n')[0]}${stderr ? `: ${stderr.trim().slice(0, 200)}` : ''}`));
          else done();
        },
      );
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(json);
    });
  } else if (hook.type === 'folder') {
    await mkdir(hook.dir, { recursive: true });
    const name = `greenlens-alert-${notice.alert.id}-${notice.event}-${Date.now()}.json`;
    await writeFileAtomic(join(hook.dir, name), `${json}\n`);
  } else {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: noticeText(notice), greenlens: notice }),
      signal: AbortSignal.timeout(HOOK_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    await res.arrayBuffer();
  }
}

/** Every hook for every notice; failures are returned (and logged by the caller), never thrown. */
export async function runHooks(hooks: readonly AlertHook[], notices: readonly AlertNotice[]): Promise<{ hook: string; error: string }[]> {
  const failures: { hook: string; error: string }[] = [];
  for (const n of notices) {
    await Promise.all(
      hooks.map((h) =>
        runHook(h, n).catch((e: unknown) => {
          failures.push({ hook: describeHook(h), error: e instanceof Error ? e.message : String(e) });
        }),
      ),
    );
  }
  return failures;
}
