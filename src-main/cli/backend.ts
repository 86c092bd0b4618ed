import type { OpInput, OpOutput, WorkerOpName } from '../contract';
import { dispatch } from '../backend/dispatch';
import { defaultTempDir, resolveWorkerScript } from '../backend/host/paths';
import { readSettingsFile } from '../backend/host/settings-file';
import { createJobContext } from '../backend/job';
import { prestartScoreThreads } from '../backend/model/score';
import { dropScoreAhead, startScoreAhead } from '../backend/model/score-ahead';
import { readsOnThreads } from '../backend/csv-threads';
import { createState, type BackendState } from '../backend/state';
import type { CliIo } from './io';

/**
 * The CLI drives the same handlers as the app, in process: one short-lived
 * backend state per command, settings from conf like web mode.
 */
let entryUrl: string | null = null;

/** The CLI entry tells where its sibling scripts (the scoring threads) are. */
export function setCliEntry(url: string): void {
  entryUrl = url;
}

export class CliBackend {
  readonly state: BackendState;
  private seq = 0;

  constructor(
    private readonly io: CliIo,
    registryPath: string | null = null,
  ) {
    // An unreadable settings file gives the defaults (and a warning) rather than stopping a script.
    const settings = readSettingsFile(io.logger);
    this.state = createState({
      registryPath,
      tempDir: defaultTempDir(),
      scoreWorkerScript: entryUrl ? resolveWorkerScript(entryUrl).scoreScript : null,
      settings,
      logger: io.logger,
      // A command prints only what it asked for; the app's dataset views would be wasted work.
      lazyDatasetViews: true,
    });
  }

  /**
   * Before importing a file of `inputBytes` to score it with the version `by`
   * selects: starts the scoring threads so they boot while the file is read,
   * and with them, scoring the rows as they are read (backend/model/score-ahead.ts).
   */
  async prestartScoring(
    inputBytes: number,
    by: { model?: string | undefined; version?: string | undefined; alias?: string | undefined },
  ): Promise<void> {
    // A file parsed on the pooled threads keeps them busy while it is read: nothing to score ahead on.
    if (prestartScoreThreads(this.state, inputBytes) && !readsOnThreads(inputBytes)) await startScoreAhead(this.state, by);
  }

  /** Ends what prestartScoring started and the score did not use (a failed command), so no thread holds the process open. */
  endScoring(): void {
    dropScoreAhead(this.state);
  }

  async run<K extends WorkerOpName>(op: K, input: OpInput<K>): Promise<OpOutput<K>> {
    const ctx = createJobContext({
      jobId: `cli-${++this.seq}`,
      op,
      onProgress: (phase, done, total) => this.io.progress(phase, done, total),
      onEvent: (event) => {
        if (event.type === 'registry') this.state.registryPath = event.path;
      },
    });
    return (await dispatch(op, input, ctx, this.state)) as OpOutput<K>;
  }
}
