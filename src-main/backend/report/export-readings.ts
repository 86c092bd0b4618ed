import { resolve } from 'node:path';
import type { OpArgs } from '../../contract';
import type { ReadingsExport } from '../../contract/shared/report';
import type { Column } from '../../core/data/table';
import type { JobContext } from '../job';
import { readBuildingNames } from '../monitoring/buildings';
import { predictionLog } from '../prediction-sink';
import type { ModelNamed } from '../registry/pick-model';
import type { BackendState } from '../state';
import { writeTableAtomic } from '../table-file';

/** Grows a Float64Array as rows arrive (the count is known only after the scan). */
class Grow {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * predictions.export: the model's logged readings (every one, or the flagged
 * ones) of a data-time window as a CSV, all of them rather than the 200 a
 * table shows: time, version, building, score, flag, label (empty when
 * unknown) and the feature values the log keeps; optionally one building's.
 */
export async function exportReadings(
  registryDir: string,
  args: ModelNamed<OpArgs<'predictions.export'>>,
  ctx: JobContext,
  state: BackendState,
): Promise<ReadingsExport> {
  const log = await predictionLog(state);
  const features = [
    ...new Set(
      log
        .versions()
        .filter((v) => v.model === args.model)
        .flatMap((v) => v.features),
    ),
  ];
  const fromMs = args.fromMs ?? Number.NEGATIVE_INFINITY;
  const toMs = args.toMs ?? Number.POSITIVE_INFINITY;
  const time = new Grow();
  const score = new Grow();
  const flag = new Grow();
  const label = new Grow();
  const version: number[] = [];
  const building: number[] = [];
  const values = features.map(() => new Grow());
  const versions: string[] = [];
  // A building filter is a slot filter; a name the log never saw matches nothing (an empty file, not an error).
  const names = await readBuildingNames(registryDir);
  const slot = args.building === undefined ? -1 : names.indexOf(args.building) + 1;
  const total = log.count(args.model);
  let seen = 0;
  ctx.progress('reading the log', 0, total);
  await log.scan({ model: args.model, columns: features }, (chunk) => {
    const slots = chunk.versions.map((v) => {
      const at = versions.indexOf(v.version);
      return at >= 0 ? at : versions.push(v.version) - 1;
    });
    for (let i = 0; i < chunk.length; i++) {
      const t = chunk.time[i]!;
      if (t < fromMs || t >= toMs || (args.rows === 'flagged' && !chunk.flag[i])) continue;
      if (slot >= 0 && chunk.building[i] !== slot) continue;
      time.push(t);
      score.push(chunk.score[i]!);
      flag.push(chunk.flag[i]!);
      label.push(chunk.label[i]! < 0 ? Number.NaN : chunk.label[i]!);
      version.push(slots[chunk.versionIndex[i]!]!);
      building.push(chunk.building[i]! - 1);
      features.forEach((f, j) => values[j]!.push(chunk.features[f]![i]!));
    }
    seen += chunk.length;
    ctx.progress('reading the log', seen, total);
  });
  const columns: Column[] = [
    { name: 'timestamp', kind: 'time', values: time.done() },
    { name: 'version', kind: 'category', codes: Int32Array.from(version), dictionary: versions },
    // Slot k is name k-1; slot 0 (no building logged) becomes -1, an empty cell.
    { name: 'building', kind: 'category', codes: Int32Array.from(building), dictionary: names },
    { name: 'anomaly_score', kind: 'number', values: score.done() },
    { name: 'is_anomaly', kind: 'number', values: flag.done() },
    { name: 'label', kind: 'number', values: label.done() },
    ...features.map((name, j): Column => ({ name, kind: 'number', values: values[j]!.done() })),
  ];
  const path = resolve(args.path);
  const bytes = await writeTableAtomic(path, { rowCount: time.length, columns }, ctx, 'path');
  return { path, rows: time.length, bytes, model: args.model };
}
