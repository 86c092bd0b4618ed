/**
 * Registry benchmark: prints one JSON line.
 *   list:     listVersions over 1,000 versions        (target < 200 ms)
 *   open:     Registry.open of that registry          (target < 500 ms)
 *   register: one version with a 5 MB artifact, fsync included (target < 100 ms)
 * Exit code 1 when a target is missed.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withLock } from '../src-main/core/registry/lock';
import { Registry } from '../src-main/core/registry/registry';
import type { RegisterInput } from '../src-main/core/registry/types';

const VERSIONS = 1_000;
const RUNS = 7;
const TARGETS = { listMs: 200, openMs: 500, register5MbMs: 100 };

function input(seed: number, artifact: string): RegisterInput {
  return {
    model: 'bench',
    params: { trees: 100, seed, contamination: 0.05, window: { hours: 24 } },
    metrics: { auc: 0.9, precision: 0.8, recall: 0.7, f1: 0.75, latencyMs: 2.5 },
    trainingData: {
      rows: 8760,
      columns: ['timestamp', 'building', 'kwh', 'temp_c'],
      sha256: createHash('sha256').update(String(seed)).digest('hex'),
    },
    tags: ['bench'],
    description: `bench version ${seed}`,
    artifact,
    reference: { features: { kwh: { edges: [0, 1, 2, 3], counts: [1, 2, 3] } } },
  };
}

/** A JSON artifact of roughly `bytes` bytes, shaped like a tree ensemble. */
function artifactOfSize(bytes: number, seed: number): string {
  const node = { f: 2, t: 0.123456, l: -1, r: -1, v: 0.5 };
  const perNode = JSON.stringify(node).length + 1;
  const nodes = Array.from({ length: Math.ceil(bytes / perNode) }, (_, i) => ({ ...node, f: (i + seed) % 4 }));
  return JSON.stringify({ kind: 'isolation-forest', seed, nodes });
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const round = (x: number): number => Math.round(x * 10) / 10;

const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'gl-bench-registry-')), 'reg');
try {
  const registry = await Registry.create(dir);
  const buildStart = performance.now();
  const small = artifactOfSize(2_000, 0);
  // One outer lock: the registrations re-enter it instead of re-creating .lock 1,000 times.
  await withLock(dir, async () => {
    for (let i = 0; i < VERSIONS; i++) await registry.registerVersion(input(i, small));
  });
  const buildMs = performance.now() - buildStart;

  const listRuns: number[] = [];
  const openRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    listRuns.push(
      await time(async () => {
        const listed = await registry.listVersions('bench');
        if (listed.length !== VERSIONS) throw new Error(`listed ${listed.length}`);
      }),
    );
    openRuns.push(await time(() => Registry.open(dir)));
  }

  const big = artifactOfSize(5 * 1024 * 1024, 1);
  const registerRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) registerRuns.push(await time(() => registry.registerVersion(input(VERSIONS + i, big))));

  const result = {
    bench: 'registry',
    versions: VERSIONS,
    buildSecondsFor1000: round(buildMs / 1000),
    listMs: { median: round(median(listRuns)), max: round(Math.max(...listRuns)), target: TARGETS.listMs },
    openMs: { median: round(median(openRuns)), max: round(Math.max(...openRuns)), target: TARGETS.openMs },
    register5MbMs: {
      median: round(median(registerRuns)),
      max: round(Math.max(...registerRuns)),
      target: TARGETS.register5MbMs,
      artifactBytes: Buffer.byteLength(big),
    },
    pass: median(listRuns) < TARGETS.listMs && median(openRuns) < TARGETS.openMs && median(registerRuns) < TARGETS.register5MbMs,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.pass ? 0 : 1;
} finally {
  await fs.rm(path.dirname(dir), { recursive: true, force: true });
}
