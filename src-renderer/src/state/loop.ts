import { create } from 'zustand';
import type {
  AutomationStatus,
  EvaluationResult,
  JobRecord,
  RetrainAction,
  ScheduleInfo,
  WatchRunResult,
} from '../../../src-main/contract/shared/loop';
import type { PolicyInput } from '../../../src-main/contract/ops/loop';
import { on } from '../api/client';
import { runJob, tryCall, useApp } from './store';

/**
 * Automation (issue 12): a retrain recommendation carried to the Train form,
 * the last same-data evaluation, the policy, the job history.
 */
interface LoopState {
  /** Set by a recommendation's Retrain button; the Train form trains on its window with its lineage. */
  retrain: RetrainAction | null;
  evaluation: EvaluationResult | null;
  policyText: string;
  policyStored: boolean;
  schedules: ScheduleInfo[];
  folders: { path: string; model?: string | undefined }[];
  jobs: JobRecord[];
  lastWatch: WatchRunResult | null;
  /** The in-app watcher, as the worker last reported it. */
  automation: AutomationStatus | null;
}

export const useLoop = create<LoopState>(() => ({
  retrain: null,
  evaluation: null,
  policyText: '',
  policyStored: false,
  schedules: [],
  folders: [],
  jobs: [],
  lastWatch: null,
  automation: null,
}));

export function openRetrain(action: RetrainAction): void {
  useLoop.setState({ retrain: action });
  useApp.getState().setTab('data');
}

export function clearRetrain(): void {
  useLoop.setState({ retrain: null });
}

export async function evaluateSameData(model: string, champion: string, challenger: string, datasetId: string): Promise<void> {
  const r = await runJob(
    'model.evaluate',
    { model, champion, challenger, data: { datasetId } },
    `Evaluating ${challenger} against ${champion}`,
  );
  if (r) useLoop.setState({ evaluation: r });
}

export async function loadAutomation(): Promise<void> {
  const [p, j, a] = await Promise.all([
    tryCall('policy.get', {}, 'Loading the policy'),
    tryCall('jobs.history', { limit: 200 }, 'Loading the job history'),
    tryCall('automation.status', {}, 'Loading the watcher status'),
  ]);
  if (a) useLoop.setState({ automation: a });
  if (p)
    useLoop.setState({
      policyText: JSON.stringify(p.policy, null, 2),
      policyStored: p.stored,
      schedules: p.schedules,
      folders: p.policy.folders,
    });
  if (j) useLoop.setState({ jobs: j.jobs });
}

/** Saves the edited policy; a JSON or schema error comes back as a banner naming the field. */
export async function savePolicy(text: string): Promise<boolean> {
  let policy: PolicyInput;
  try {
    policy = JSON.parse(text) as PolicyInput;
  } catch (error) {
    useApp.getState().showError('Saving the policy', new Error(`The policy is not valid JSON: ${(error as Error).message}`));
    return false;
  }
  const r = await tryCall('policy.set', { policy }, 'Saving the policy');
  if (!r) return false;
  useLoop.setState({
    policyText: JSON.stringify(r.policy, null, 2),
    policyStored: true,
    schedules: r.schedules,
    folders: r.policy.folders,
  });
  return true;
}

export async function runWatch(folder: string, model?: string): Promise<void> {
  const r = await runJob('watch.run', { folder, ...(model ? { model } : {}) }, `Watching ${folder}`);
  if (r) useLoop.setState({ lastWatch: r });
  await loadAutomation();
}

/** The in-app watcher's status events (start, stop, each pass and its progress) while the tab listens. */
export function followAutomation(): () => void {
  return on((event) => {
    if (event.type === 'automation') useLoop.setState({ automation: event.status });
  });
}

export async function cancelAutomationPass(): Promise<void> {
  await tryCall('automation.cancel', {}, 'Cancelling the watch pass');
}

/** Persisted in the settings; the worker stops or starts watching when it sees them. */
export async function setAutomationPaused(paused: boolean): Promise<void> {
  const settings = await tryCall('settings.set', { automationPaused: paused }, 'Saving the watching setting');
  if (settings) useApp.setState({ settings });
}
