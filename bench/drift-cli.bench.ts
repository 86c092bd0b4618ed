// `greenlens drift` from CSV files vs pandas + scipy doing the same on the same
// files (bench/reference/drift_pandas.py, where /usr/bin/python3 has them).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvChunks } from '../src-main/core/data/csv-write';
import { createRng } from '../src-main/core/data/rng';
import type { Table } from '../src-main/core/data/table';

const ROWS = 1_000_000;
const FEATURES = 10;

function table(seed: number, shift: number): Table {
  const rng = createRng(seed);
  const columns = Array.from({ length: FEATURES }, (_, f) => {
    const values = new Float64Array(ROWS);
    // Half the features shift by 0.05σ on the current side: KS calls that significant
    // at this size, but it stays under the effect-size floor, so nothing is flagged.
    for (let i = 0; i < ROWS; i++) values[i] = Math.round((rng.normal() + (f % 2 === 0 ? shift : 0)) * 1000) / 1000;
    return { name: `f${f}`, kind: 'number' as const, values };
  });
  return { rowCount: ROWS, columns };
}

async function writeCsv(path: string, t: Table): Promise<void> {
  const out = createWriteStream(path);
  for (const chunk of csvChunks(t)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

const dir = await mkdtemp(join(tmpdir(), 'gl-drift-cli-'));
const ref = join(dir, 'reference.csv');
const cur = join(dir, 'current.csv');
await writeCsv(ref, table(1, 0));
await writeCsv(cur, table(2, 0.05));
const bytes = (await stat(ref)).size + (await stat(cur)).size;

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) throw new Error('Build first: npm run build');
const timeRun = (cmd: string, args: string[]): { seconds: number; stdout: string; status: number | null } => {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { seconds: (performance.now() - t0) / 1000, stdout: r.stdout, status: r.status };
};

const runs = [0, 1, 2].map(() => timeRun(process.execPath, [cli, 'drift', '--reference', ref, '--current', cur, '--json']));
const greenlens = Math.min(...runs.map((r) => r.seconds));
const report = JSON.parse(runs[0]!.stdout) as { features: { name: string; psi: number; drifted: boolean }[] };

let pandas: { wallSeconds: number; psiOfF0: number } | string = 'skipped: /usr/bin/python3 with pandas and scipy not found';
const py = '/usr/bin/python3';
if (existsSync(py) && spawnSync(py, ['-c', 'import pandas, scipy']).status === 0) {
  const script = fileURLToPath(new URL('./reference/drift_pandas.py', import.meta.url));
  const pyRuns = [0, 1].map(() => timeRun(py, [script, ref, cur]));
  const parsed = JSON.parse(pyRuns[0]!.stdout) as { features: { name: string; psi: number }[] };
  pandas = { wallSeconds: Math.min(...pyRuns.map((r) => r.seconds)), psiOfF0: parsed.features[0]!.psi };
}
await rm(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    bench: 'drift-cli',
    rows: ROWS,
    features: FEATURES,
    csvBytes: bytes,
    greenlensWallSeconds: Math.round(greenlens * 1000) / 1000,
    greenlensExit: runs[0]!.status,
    drifted: report.features.filter((f) => f.drifted).map((f) => f.name),
    psiOfF0: report.features.find((f) => f.name === 'f0')?.psi,
    pandasScipy: pandas,
  }),
);
