/**
 * A long-lived process standing in for the app's worker: it keeps one backend
 * state (and so one cached prediction log) across requests, like the app does
 * while a `greenlens score` runs in a terminal. Reads one JSON command per stdin
 * line, answers one JSON line per command:
 *   {"op":"append","requestId":"a1","rows":3,"model":"m","version":"1.0.0","features":["x"]}  → {"appended":3}
 *   {"op":"count"}  → {"count":N}   (what this process's cached log says)
 * Run with: node --import tsx test/helpers/log-writer.ts <registry>
 */
import { createInterface } from 'node:readline';
import { logPredictions, predictionLog } from '../../src-main/backend/prediction-sink';
import { createState } from '../../src-main/backend/state';

interface AppendCommand {
  op: 'append';
  requestId: string;
  rows: number;
  model: string;
  version: string;
  features: string[];
}
type Command = AppendCommand | { op: 'count' };

const registry = process.argv[2];
if (!registry) throw new Error('usage: log-writer.ts REGISTRY');
const state = createState({ registryPath: registry });

async function handle(cmd: Command): Promise<unknown> {
  if (cmd.op === 'count') return { count: (await predictionLog(state)).count() };
  const n = cmd.rows;
  const { appended } = await logPredictions(state, {
    model: cmd.model,
    version: cmd.version,
    features: cmd.features,
    requestId: cmd.requestId,
    time: Date.now(),
    latencyMs: 1,
    scores: Float64Array.from({ length: n }, (_, i) => i / n),
    flags: new Uint8Array(n),
    values: cmd.features.map((_, j) => Float64Array.from({ length: n }, (_, i) => i + j)),
  });
  return { appended };
}

const lines = createInterface({ input: process.stdin });
let chain: Promise<void> = Promise.resolve();
lines.on('line', (line) => {
  chain = chain.then(async () => {
    try {
      process.stdout.write(JSON.stringify(await handle(JSON.parse(line) as Command)) + '\n');
    } catch (error) {
      process.stdout.write(JSON.stringify({ error: (error as Error).message }) + '\n');
    }
  });
});
