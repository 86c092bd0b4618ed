/**
 * Two-writer test: registers `count` versions of model `shared`, printing one
 * JSON line per attempt ({ok, version} or {ok:false, code, message}).
 * Both start at the same wall-clock moment so they really overlap.
 * Usage: contender.ts <registryDir> <count> <lockTimeoutMs> <startAtEpochMs>
 */
import { GreenLensError } from '../../../../src-main/contract/shared/errors';
import { Registry } from '../../../../src-main/core/registry/registry';
import { buildArtifact, buildReference, sha256 } from './fixtures';

const [dir = '', countText, timeoutText, startAtText] = process.argv.slice(2);
const count = Number(countText);
const registry = await Registry.open(dir, { lock: { timeoutMs: Number(timeoutText) } });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtText) - Date.now())));
for (let i = 0; i < count; i++) {
  const seed = process.pid * 1000 + i;
  try {
    const meta = await registry.registerVersion({
      model: 'shared',
      params: { seed, writer: process.pid },
      metrics: { auc: 0.5 },
      trainingData: { rows: 1, columns: ['kwh'], sha256: sha256(String(seed)) },
      artifact: buildArtifact(seed, 500),
      reference: buildReference(seed),
    });
    process.stdout.write(`${JSON.stringify({ ok: true, version: meta.version, sha256: meta.artifact.sha256 })}\n`);
  } catch (error) {
    if (!(error instanceof GreenLensError)) throw error;
    process.stdout.write(`${JSON.stringify({ ok: false, code: error.code, message: error.message })}\n`);
  }
}
