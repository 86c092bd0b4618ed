import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildingSlices,
  fitBuildingPassParallel,
  inputRows,
  prepareBuildingPass,
  scoreContextualFlagsParallel,
  scoreContextualParallel,
  startBuildingPass,
  startEarlyPass,
  startPreparedPass,
} from '../../src-main/backend/model/contextual-parallel';
import { BUILDING_KINDS } from '../../src-main/core/data/building-kinds';
import { DEFAULT_YEAR_START, simulateYears } from '../../src-main/core/data/year-simulator';
import { contextualInput, expectSameFlaggedDetail, TEST_NAMES } from '../helpers/contextual-input';
import { buildReferenceProfile } from '../../src-main/core/drift/profile';
import {
  buildingBases,
  contextualSettings,
  fitBuildingPass,
  fitContextual,
  fitContextualUntilForest,
  fitFleet,
  scoreContextual,
} from '../../src-main/core/model/contextual/detector';
import { scoreSamples } from '../../src-main/core/model/isolation-forest';

// The development entry registers tsx, so a thread can run the TypeScript worker source.
const workerScript = fileURLToPath(new URL('../../src-main/backend/score-worker-dev.mjs', import.meta.url));

describe('the contextual detector on several threads', () => {
  // 5 buildings × 120 days; building 5 is left out of training (unseen at scoring).
  const table = simulateYears({ buildings: 5, years: 1, seed: 3, anomalyRate: 0.03, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
  const all = contextualInput(table);
  const days = 120 * 24 * 5;
  const firstDays = inputRows(
    all,
    Int32Array.from({ length: days }, (_, i) => i),
  );
  const train = inputRows(
    firstDays,
    Int32Array.from({ length: days }, (_, i) => i).filter((i) => firstDays.groups!.codes[i] !== 4),
  );
  const score = inputRows(
    all,
    Int32Array.from({ length: days }, (_, i) => days + i),
  );

  it('deals whole buildings into slices that cover every row once, balanced by rows', () => {
    const slices = buildingSlices(score, 2);
    expect(slices).toHaveLength(2);
    const seen = new Uint8Array(score.time.length);
    for (const rows of slices) {
      const codes = new Set(Array.from(rows, (i) => score.groups!.codes[i]!));
      for (const i of rows) seen[i]!++;
      expect(codes.size).toBeGreaterThan(0);
      // Ascending rows: each slice keeps the input's order.
      for (let k = 1; k < rows.length; k++) expect(rows[k]!).toBeGreaterThan(rows[k - 1]!);
    }
    expect(seen.every((v) => v === 1)).toBe(true);
    const [a, b] = slices.map((s) => new Set(Array.from(s, (i) => score.groups!.codes[i]!)));
    expect([...a!].filter((c) => b!.has(c))).toEqual([]);
    // 5 equal buildings: 3 and 2.
    expect(slices.map((s) => s.length).sort()).toEqual([2 * 120 * 24, 3 * 120 * 24]);
    expect(buildingSlices(score, 1)).toHaveLength(1);
  });

  it('fits the same buildings and residual pass as one thread, and the same detector from them', async () => {
    const settings = contextualSettings();
    const seen: number[] = [];
    const got = await fitBuildingPassParallel(train, settings, { workerScript, threads: 2 }, { progress: (done) => seen.push(done) });
    expect(got).toEqual({ ...fitBuildingPass(train, settings), first: undefined, reference: null, places: null });
    expect(got.buildings.map((b) => b.id)).toEqual(['B01', 'B02', 'B03', 'B04']);
    // Each slice (one building here) reports as it is done, this thread's and the worker's adding up to all of them.
    expect(seen.at(-1)).toBe(4);
    const prefitted = { buildings: got.buildings, pass: got.pass, fleet: null };
    expect(fitContextual(train, TEST_NAMES, {}, {}, prefitted)).toEqual(fitContextual(train, TEST_NAMES));
  });

  it('fits the same when the worker starts before this thread joins, reporting from the join on', async () => {
    const settings = contextualSettings();
    const started = startBuildingPass(train, settings, { workerScript, threads: 2 }, null, null);
    const seen: number[] = [];
    // This thread is busy elsewhere meanwhile (here: fitting the same buildings on its own, for the comparison).
    const alone = fitBuildingPass(train, settings);
    expect(seen).toEqual([]);
    const got = await started.join(
      () => 'fleet',
      (done) => seen.push(done),
    );
    expect(got).toEqual({ ...alone, first: 'fleet', reference: null, places: null });
    expect(seen.at(-1)).toBe(4);
    for (let k = 1; k < seen.length; k++) expect(seen[k]!).toBeGreaterThan(seen[k - 1]!);
  });

  it('fits the same from an input laid out beforehand, and hands the buildings over before the pass is reordered', async () => {
    const settings = contextualSettings();
    const threads = { workerScript, threads: 2 };
    const prepared = prepareBuildingPass(train, threads);
    expect(prepared.shared.time.buffer).toBeInstanceOf(SharedArrayBuffer);
    const alone = fitBuildingPass(train, settings);
    const handed: string[][] = [];
    const got = await startPreparedPass(prepared, settings, threads, null, null).join(
      () => 'fleet',
      undefined,
      (buildings) => handed.push(buildings.map((b) => b.id)),
    );
    expect(got).toEqual({ ...alone, first: 'fleet', reference: null, places: null });
    // Once, with every building in the one-thread order.
    expect(handed).toEqual([['B01', 'B02', 'B03', 'B04']]);
  });

  it('starts the worker on the reference profile before the fit’s input is laid out, and fits the same once it is attached', async () => {
    const settings = contextualSettings();
    const threads = { workerScript, threads: 2 };
    const columns = { outdoor_temp_c: train.temperature!, total_kw: train.meters[1]! };
    const early = startEarlyPass(settings, threads, columns, null);
    // This thread is busy elsewhere meanwhile (here: the one-thread fit, for the comparison); the worker waits for the input.
    const alone = fitBuildingPass(train, settings);
    const got = await early.attach(prepareBuildingPass(train, threads)).join(() => 'fleet');
    expect(got).toEqual({ ...alone, first: 'fleet', reference: buildReferenceProfile(columns), places: null });
    expect(() => early.abandon()).toThrow('the early fit was attached or abandoned already');
  });

  it('releases a worker whose early fit is abandoned: it answers with the reference and no slices, and fits again', async () => {
    const settings = contextualSettings();
    const threads = { workerScript, threads: 2 };
    const columns = { total_kw: train.meters[1]! };
    const early = startEarlyPass(settings, threads, columns, null);
    // Resolves only when the worker has woken up and answered (it would wait for the input for ever otherwise).
    await early.abandon();
    expect(() => early.attach(prepareBuildingPass(train, threads))).toThrow('the early fit was attached or abandoned already');
    // The pooled thread then takes the next fit.
    const got = await fitBuildingPassParallel(train, settings, threads);
    expect(got.buildings).toEqual(fitBuildingPass(train, settings).buildings);
  });

  it('leaves the pass but z where the slices put it when asked, and the detector fitted from it is the same', async () => {
    const settings = contextualSettings();
    const threads = { workerScript, threads: 2 };
    const alone = fitBuildingPass(train, settings);
    const got = await startBuildingPass(train, settings, threads, null, null).join(undefined, undefined, undefined, true);
    expect(got.places).not.toBeNull();
    expect(got.pass.z).toEqual(alone.pass.z);
    // Row i's other values sit at places[i].
    const places = got.places!;
    expect(Float64Array.from(places, (p) => got.pass.expected[1]![p]!)).toEqual(alone.pass.expected[1]);
    expect(Int32Array.from(places, (p) => got.pass.slot[p]!)).toEqual(alone.pass.slot);
    const expected = fitContextual(train, TEST_NAMES);
    const prefitted = { buildings: got.buildings, pass: got.pass, fleet: null, places };
    const step = fitContextualUntilForest(train, TEST_NAMES, {}, {}, prefitted);
    expect(step.finish(scoreSamples(step.forest, step.columns))).toEqual(expected);
  });

  it('runs the fleet baseline on this thread and a reference profile on the worker beside the buildings', async () => {
    const settings = contextualSettings();
    const columns = { outdoor_temp_c: train.temperature!, total_kw: train.meters[1]! };
    const got = await fitBuildingPassParallel(
      train,
      settings,
      { workerScript, threads: 2 },
      {
        first: () => fitFleet(train, settings, buildingBases(train, settings)),
        reference: columns,
      },
    );
    expect(got.reference).toEqual(buildReferenceProfile(columns));
    const prefitted = { buildings: got.buildings, pass: got.pass, fleet: got.first! };
    expect(fitContextual(train, TEST_NAMES, {}, {}, prefitted)).toEqual(fitContextual(train, TEST_NAMES));
  });

  it('leaves a building without enough history to the fleet, as one thread does', async () => {
    // The first 20 days of B01 only: less than the 28 days its own baseline needs.
    const short = new Uint8Array(train.time.length);
    const t0 = train.time[0]!;
    for (let i = 0; i < short.length; i++) short[i] = train.groups!.codes[i] !== 0 || train.time[i]! < t0 + 20 * 86_400_000 ? 1 : 0;
    const rows = Int32Array.from(Array.from(short.keys()).filter((i) => short[i]));
    const part = inputRows(train, rows);
    const settings = contextualSettings();
    const got = await fitBuildingPassParallel(
      part,
      settings,
      { workerScript, threads: 2 },
      {
        first: () => fitFleet(part, settings, buildingBases(part, settings)),
      },
    );
    expect(got.buildings[0]!.meters).toBeNull();
    const prefitted = { buildings: got.buildings, pass: got.pass, fleet: got.first! };
    const one = fitContextual(part, TEST_NAMES);
    expect(one.training.warnings).toHaveLength(1);
    expect(fitContextual(part, TEST_NAMES, {}, {}, prefitted)).toEqual(one);
  });

  it('rejects with the error of a progress callback that throws (a cancel) while fitting', async () => {
    const settings = contextualSettings();
    const cancel = new Error('cancelled');
    const progress = (): void => {
      throw cancel;
    };
    await expect(fitBuildingPassParallel(train, settings, { workerScript, threads: 2 }, { progress })).rejects.toBe(cancel);
  });

  it('scores exactly as one thread, warnings included, without detaching the caller’s columns', async () => {
    const { model } = fitContextual(train, TEST_NAMES);
    const expected = scoreContextual(model, score);
    const got = await scoreContextualParallel(model, score, { workerScript, threads: 2 });
    expect(got).toEqual(expected);
    expect(got.warnings).toHaveLength(1);
    expect(got.warnings[0]).toMatch(/^1 building not seen in training/);
    expect(score.time.length).toBe(days);
  });

  it('gives the one-thread scores, flags, members and warnings when only those are asked for', async () => {
    const { model } = fitContextual(train, TEST_NAMES);
    const expected = scoreContextual(model, score);
    const seen: number[] = [];
    const got = await scoreContextualFlagsParallel(model, score, { workerScript, threads: 2 }, (done) => seen.push(done));
    expect({ scores: got.scores, flags: got.flags, member: got.member, warnings: got.warnings }).toEqual({
      scores: expected.scores,
      flags: expected.flags,
      member: expected.member,
      warnings: expected.warnings,
    });
    // The detail an explanation reads is the one-thread detail at every flagged row.
    const flagged = expectSameFlaggedDetail(got.flagged, expected);
    expect(flagged).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(days);
    expect(score.time.length).toBe(days);
  });

  it('reports rows done after each round of buildings, rising to every row, with the same scores', async () => {
    const { model } = fitContextual(train, TEST_NAMES);
    const seen: number[] = [];
    const got = await scoreContextualParallel(model, score, { workerScript, threads: 2 }, (done, total) => {
      expect(total).toBe(days);
      seen.push(done);
    });
    expect(got).toEqual(scoreContextual(model, score));
    // 5 buildings dealt into 8 slices: 5 non-empty ones, scored 2 at a time → 3 rounds.
    expect(seen).toHaveLength(3);
    for (let k = 1; k < seen.length; k++) expect(seen[k]!).toBeGreaterThan(seen[k - 1]!);
    expect(seen[0]!).toBeGreaterThan(0);
    expect(seen[0]!).toBeLessThan(days);
    expect(seen.at(-1)).toBe(days);
  });

  it('stops at a progress callback that throws (a cancel) and rejects with its error', async () => {
    const { model } = fitContextual(train, TEST_NAMES);
    const cancelled = new Error('cancelled');
    await expect(
      scoreContextualParallel(model, score, { workerScript, threads: 2 }, () => {
        throw cancelled;
      }),
    ).rejects.toBe(cancelled);
  });
});
