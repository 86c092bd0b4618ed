/**
 * Crash-test writer: registers versions of model `crash` forever, printing a
 * line only after each operation has returned (i.e. is committed), until the
 * parent kills it with SIGKILL. Usage: writer.ts <registryDir>
 *
 * It prints `loaded` once its modules are in and waits for `go` on stdin
 * before touching the registry, so the parent can start the next writer while
 * it is still checking the previous one.
 */
import { once } from 'node:events';
import { GreenLensError } from '../../../../src-main/contract/shared/errors';
import { Registry } from '../../../../src-main/core/registry/registry';
import { buildArtifact, buildReference, sha256 } from './fixtures';

const dir = process.argv[2];
if (!dir) throw new Error('usage: writer.ts <registryDir>');

process.stdout.write('loaded\n');
process.stdin.setEncoding('utf8');
let input = '';
while (!input.includes('go\n')) input += String((await once(process.stdin, 'data'))[0]);
process.stdin.pause();

const registry = await Registry.open(dir, { lock: { timeoutMs: 10_000 } });
process.stdout.write('ready\n');

for (let i = 0; ; i++) {
  const seed = process.pid * 1000 + i;
  // Bigger than a page so a kill can land mid-write of a file.
  const artifact = buildArtifact(seed, 600);
  try {
    const meta = await registry.registerVersion({
      model: 'crash',
      params: { seed },
      metrics: { auc: 0.9 },
      trainingData: { rows: 10, columns: ['kwh'], sha256: sha256(String(seed)) },
      artifact,
      reference: buildReference(seed),
    });
    process.stdout.write(`committed ${meta.version} ${meta.artifact.sha256}\n`);
    if (i % 3 === 2) {
      await registry.promote('crash', meta.version, 'production', { reason: `crash test ${i}`, user: 'tester' });
      process.stdout.write(`promoted ${meta.version}\n`);
    }
  } catch (error) {
    if (error instanceof GreenLensError && error.code === 'locked') continue;
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  }
}
