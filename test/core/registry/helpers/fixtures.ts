import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RegisterInput } from '../../../../src-main/core/registry/types';

export const HELPERS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HELPERS_DIR, '../../../..');

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A realistic small model artifact: JSON the way the trainer writes it. */
export function buildArtifact(seed: number, extraWeights = 8): string {
  const weights = Array.from({ length: extraWeights }, (_, i) => Math.round(Math.sin(seed * 31 + i) * 1e6) / 1e6);
  return JSON.stringify({
    kind: 'isolation-forest',
    seed,
    features: ['kwh', 'temp_c', 'hour'],
    weights,
    nonce: randomBytes(4).toString('hex'),
  });
}

export function buildReference(seed: number): unknown {
  return {
    features: {
      kwh: { mean: 12.5 + seed, std: 3.1, edges: [0, 5, 10, 15, 20], counts: [3, 10, 40, 30, 17] },
      temp_c: { mean: 18, std: 6, edges: [-5, 5, 15, 25, 35], counts: [5, 20, 45, 25, 5] },
    },
    sample: [
      [1, 2, 3],
      [4, 5, 6],
    ],
  };
}

export function sampleInput(model: string, seed: number, overrides: Partial<RegisterInput> = {}): RegisterInput {
  const artifact = buildArtifact(seed);
  return {
    model,
    params: { trees: 100 + seed, contamination: 0.05, features: { lags: [1, 24] } },
    metrics: { auc: 0.8 + seed / 1000, precision: 0.7, trainingTimeMs: 1200 - seed },
    trainingData: { rows: 1000 + seed, columns: ['timestamp', 'kwh', 'temp_c'], sha256: sha256(`data-${seed}`), source: `sim-${seed}` },
    tags: ['nightly'],
    description: `Model trained with seed ${seed}`,
    artifact,
    reference: buildReference(seed),
    ...overrides,
  };
}

/** sha256 of every regular file under `dir` (relative POSIX path → hash), skipping names in `skip`. */
export async function hashTree(dir: string, skip: (name: string) => boolean = () => false): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      if (skip(entry.name)) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else out[child] = sha256(await fs.readFile(path.join(dir, child)));
    }
  };
  await walk('');
  return out;
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript helper in a fresh Node process (real process boundary, real pid). */
export function runHelper(script: string, args: string[], timeoutMs = 30_000): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(HELPERS_DIR, script), ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
