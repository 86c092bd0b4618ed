/**
 * Child process for the SIGKILL test: appends deterministic batches forever,
 * printing each batch number once its append has resolved (i.e. is fsynced).
 * Continues after the last committed batch so repeated crashes share one log.
 */
import { PredictionLog } from '../../../../src-main/core/monitoring/prediction-log';
import { makeBatch } from './batch';

const dir = process.argv[2];
if (!dir) throw new Error('usage: appender.ts <dir>');
const log = await PredictionLog.open(dir, { segmentRecords: 200 });
const last = await log.readRequests({ last: 1 });
let k = last.requests.length > 0 ? Math.round(last.requests.time[0]! / 1000) + 1 : 0;
process.stdout.write(`start ${k}\n`);
for (;;) {
  // Every 5th batch is a new version, so segments also rotate on version change mid-crash.
  await log.append(makeBatch(k, { version: `1.0.${Math.floor(k / 5) % 3}` }));
  process.stdout.write(`${k}\n`);
  k++;
}
