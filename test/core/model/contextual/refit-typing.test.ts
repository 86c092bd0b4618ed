import { describe, expect, it } from 'vitest';
import { BUILDING_KINDS } from '../../../../src-main/core/data/building-kinds';
import { DEFAULT_YEAR_START, simulateYears, YEAR_HOURS } from '../../../../src-main/core/data/year-simulator';
import {
  contextualSettings,
  dayTypingOf,
  fitBuildingModels,
  fitBuildingPass,
  fitContextual,
  scoreContextual,
} from '../../../../src-main/core/model/contextual/detector';
import { finiteAtShare } from '../../../../src-main/core/model/contextual/robust';
import { HOURS_PER_WEEK } from '../../../../src-main/core/model/contextual/towt';
import { evaluate } from '../../../../src-main/core/model/evaluate';
import { inputRows } from '../../../../src-main/backend/model/contextual-parallel';
import { contextualInput, numericColumn, TEST_NAMES } from '../../../helpers/contextual-input';

/**
 * A refit on all readings types its buildings' days (closed or not) with the models of the fit on their
 * earlier share, which the holdout evaluated, instead of a first fit of its own (DayTyping).
 */
describe('the refit typed by the evaluated fit', () => {
  // Two years of one building of each kind (a school with its holidays among them); train on the first.
  const table = simulateYears({ buildings: 4, years: 2, seed: 8, anomalyRate: 0.01, kinds: BUILDING_KINDS, start: DEFAULT_YEAR_START });
  const all = contextualInput(table);
  const yearRows = 4 * YEAR_HOURS;
  const year1 = inputRows(
    all,
    Int32Array.from({ length: yearRows }, (_, i) => i),
  );
  const year2 = inputRows(
    all,
    Int32Array.from({ length: yearRows }, (_, i) => yearRows + i),
  );
  const cutoff = finiteAtShare(year1.time, 0.8);
  const earlier = inputRows(
    year1,
    Int32Array.from({ length: yearRows }, (_, i) => i).filter((i) => year1.time[i]! < cutoff),
  );
  const settings = contextualSettings();

  it('maps each building with its own baseline to its meter models, by id', () => {
    const { model } = fitContextual(earlier, TEST_NAMES);
    const typing = dayTypingOf(model.buildings);
    expect([...typing.keys()]).toEqual(['B01', 'B02', 'B03', 'B04']);
    expect(typing.get('B02')).toBe(model.buildings[1]!.meters);
    expect(dayTypingOf([{ id: 'short', rows: 10, levels: [1, 1], meters: null }]).size).toBe(0);
  });

  it('fits a building without a typing model as without any', () => {
    expect(fitBuildingPass(year1, settings, new Map())).toEqual(fitBuildingPass(year1, settings));
    const { model } = fitContextual(earlier, TEST_NAMES);
    const own = fitBuildingModels(year1, settings);
    // Only the school typed, by the evaluated fit's school: the others fit as before, and the school finds the
    // closed days its own first fit finds (this year's holidays), so its models are the same too.
    const bySchool = fitBuildingModels(year1, settings, {}, new Map([['B02', model.buildings[1]!.meters!]]));
    expect(bySchool).toEqual(own);
    // Typed by models that expect no load in any slot, the school's days come out otherwise: the typing is what was given.
    const blind = model.buildings[1]!.meters!.map((m) => ({ ...m, towt: { ...m.towt, alpha: m.towt.alpha.map(() => 0) } }));
    const byBlind = fitBuildingModels(year1, settings, {}, new Map([['B02', blind]]));
    expect([byBlind[0], ...byBlind.slice(2)]).toEqual([own[0], ...own.slice(2)]);
    expect(byBlind[1]!.meters![0]!.towt.alpha).not.toEqual(own[1]!.meters![0]!.towt.alpha);
  });

  it('finds the school’s closed days and detects year 2’s faults as the refit with its own first fit does', () => {
    const first = fitContextual(earlier, TEST_NAMES);
    const typing = dayTypingOf(first.model.buildings);
    const typed = fitContextual(year1, TEST_NAMES, {}, {}, null, typing);
    const own = fitContextual(year1, TEST_NAMES);
    // B02 is the school: its closed-day slots were fitted (a slot never fitted takes Sunday's coefficient).
    const school = typed.model.buildings[1]!.meters![0]!.towt;
    const fitted = school.alpha.slice(HOURS_PER_WEEK).filter((a, h) => a !== school.alpha[144 + h]);
    expect(fitted.length).toBeGreaterThan(12);
    const labels = numericColumn(table, 'is_anomaly').subarray(yearRows);
    const figures = (fit: typeof typed) => evaluate(scoreContextual(fit.model, year2).scores, 0.5, labels).labelled!;
    const [a, b] = [figures(typed), figures(own)];
    expect(Math.abs(a.f1 - b.f1)).toBeLessThan(0.02);
    expect(Math.abs(a.precision - b.precision)).toBeLessThan(0.02);
    expect(a.f1).toBeGreaterThan(0.8);
  }, 60_000);
});
