import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { isAbsolute } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TrainingFile } from '../../contract/shared/registry';
import type { Table } from '../../core/data/table';
import type { Dataset } from '../datasets';
import type { BackendState } from '../state';
import { importTableFile } from '../table-file';

/**
 * The file a version was trained on, when the registry does not keep it
 * (ARCHITECTURE §4a). `greenlens train --data F` reads F into a dataset that
 * lives in the CLI's session only, so without this a watch retrain's window
 * would hold the watched folder's files alone and forget the season
 * production was trained on (the replay's December with no winter in it).
 * The version records F's path, size and sha256 and how it was read; a retrain
 * reads it again only while it holds the same bytes.
 */

/**
 * The file record for a dataset imported from one file that is still as it was
 * read (its size as imported, not modified since), or null: a kept dataset (the
 * registry has it), a generated or assembled one, a web upload (its path is a
 * copy), or a file changed since the import.
 */
export async function trainingFileOf(ds: Dataset): Promise<TrainingFile | null> {
  const { info } = ds;
  const report = info.import;
  const path = info.sourceFile;
  if (info.stored || !report || !path || !isAbsolute(path) || report.rows !== ds.table.rowCount) return null;
  const stat = await fs.stat(path).catch(() => null);
  if (!stat?.isFile() || stat.size !== report.bytes || stat.mtimeMs > Date.parse(info.createdAt)) return null;
  return {
    path,
    bytes: stat.size,
    sha256: await fileSha256(path),
    read: {
      encoding: report.reading.encoding,
      delimiter: report.delimiter,
      decimal: report.reading.decimal,
      dateFormat: report.reading.dateFormat,
      missing: report.missingPolicy,
      roles: { ...ds.roles },
    },
  };
}

/**
 * The rows of a recorded training file, read as they were at training time;
 * null (and why, logged) when the file is gone, has other bytes now, or no
 * longer reads.
 */
export async function readTrainingFile(
  ref: TrainingFile,
  state: BackendState,
  owner: string,
): Promise<{ table: Table; roles: Dataset['roles'] } | null> {
  const skip = (why: string): null => {
    state.logger.warn(`watch: ${ref.path} (${owner} was trained on it) left out of the retrain window: ${why}.`);
    return null;
  };
  const stat = await fs.stat(ref.path).catch(() => null);
  if (!stat?.isFile()) return skip('it is no longer there');
  if (stat.size !== ref.bytes || (await fileSha256(ref.path)) !== ref.sha256) return skip('it has changed since');
  try {
    const { delimiter, ...read } = ref.read;
    const { table, roles } = await importTableFile(ref.path, { ...read, ...(delimiter ? { delimiter } : {}) }, () => undefined);
    return { table, roles };
  } catch (error) {
    return skip((error as Error).message);
  }
}

/** A file's sha256, hashed on a thread of its own (hashHere if that thread cannot start or fails, so a read error is this thread's). */
export async function fileSha256(path: string): Promise<string> {
  try {
    return await hashOnThread(path);
  } catch {
    return hashHere(path);
  }
}

/**
 * Reads and hashes the file on a short-lived thread: `greenlens train --data F` needs F's hash only when it
 * registers the version, and 70 MB hashed here took 0.1–0.2 s of this thread while the fit waited for it.
 */
const HASH_ON_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const hash = require('node:crypto').createHash('sha256');
require('node:fs')
  .createReadStream(workerData, { highWaterMark: 1 << 20 })
  .on('data', (chunk) => hash.update(chunk))
  .on('end', () => parentPort.postMessage(hash.digest('hex')))
  .on('error', (error) => { throw error; });
`;

export function hashOnThread(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(HASH_ON_THREAD, { eval: true, workerData: path });
    worker.once('message', (hex: unknown) => (typeof hex === 'string' ? resolve(hex) : reject(new Error('no hash'))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`hashing thread exited with code ${code}`)));
  });
}

async function hashHere(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
