/**
 * Child process for the compaction crash test: opens the log in `dir`, prunes it
 * to the last `keepLast` readings and prints the result as JSON. Run under
 * test/helpers/kill-at-write.mjs to be killed at its K-th file-changing call.
 */
import { PredictionLog } from '../../../../src-main/core/monitoring/prediction-log';

const [dir, keep] = process.argv.slice(2);
if (!dir || keep === undefined) throw new Error('usage: pruner.ts <dir> <keepLast>');
const log = await PredictionLog.open(dir);
const result = await log.prune({ keepLast: Number(keep) });
await log.close();
process.stdout.write(JSON.stringify(result) + '\n');
