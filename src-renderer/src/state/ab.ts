import { create } from 'zustand';
import type { AbKey, AbReport, AbRun } from '../../../src-main/contract/shared/ab';
import { DEFAULT_ALIAS } from '../../../src-main/contract/shared/registry';
import { useRegistry } from './registry';
import { onTopic, tryCall } from './store';

/** A/B and shadow runs of the selected model's production alias (issue 12 item 4), and the latest report. */
interface AbState {
  runs: AbRun[];
  report: AbReport | null;
  loading: boolean;
}

export const useAb = create<AbState>(() => ({ runs: [], report: null, loading: false }));

export const AB_ALIAS = DEFAULT_ALIAS;

/** Runs of the model's alias, and the report of its active (else newest) run. */
export async function loadAb(): Promise<void> {
  const model = useRegistry.getState().model;
  if (!model) return;
  useAb.setState({ loading: true });
  const list = await tryCall('ab.list', { model }, 'Loading the A/B runs');
  const runs = (list?.runs ?? []).filter((r) => r.alias === AB_ALIAS);
  const report = runs.length ? await tryCall('ab.report', { model, alias: AB_ALIAS }, 'Making the A/B report') : null;
  useAb.setState({ runs, report, loading: false });
}

export async function startAb(challenger: string, mode: 'ab' | 'shadow', share: number, by: AbKey): Promise<void> {
  const model = useRegistry.getState().model;
  const r =
    mode === 'ab'
      ? await tryCall('ab.start', { model, alias: AB_ALIAS, challenger, share, by }, `Starting an A/B run of ${challenger}`)
      : await tryCall('ab.shadow', { model, alias: AB_ALIAS, challenger }, `Starting a shadow run of ${challenger}`);
  if (r) await loadAb();
}

export async function stopAb(): Promise<void> {
  const model = useRegistry.getState().model;
  if (await tryCall('ab.stop', { model, alias: AB_ALIAS }, 'Stopping the run')) await loadAb();
}

// New predictions change the report; a run started elsewhere (the CLI) changes the list.
for (const topic of ['ab', 'predictions', 'registry', 'deployments'] as const) onTopic(topic, () => void loadAb());
