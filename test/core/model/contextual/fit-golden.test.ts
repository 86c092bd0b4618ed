import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildingBases,
  contextualSettings,
  fitBuildingPass,
  fitContextual,
  fitFleet,
  type FitResult,
} from '../../../../src-main/core/model/contextual/detector';
import { contextualArtifactToJson } from '../../../../src-main/core/model/contextual/serialize';
import { GOLDEN_NAMES, GOLDEN_OVERRIDES, goldenInput, goldenSummary } from '../../../helpers/contextual-golden';

interface Golden {
  model: { detector: { buildings: { meters: unknown }[]; fleet: { towt: { seasonal: boolean } }[] } };
  flagged: number[];
}
const golden = JSON.parse(readFileSync(new URL('../../../fixtures/contextual-fit-golden.json', import.meta.url), 'utf8')) as Golden;

/** Paths where `got` and `want` differ: numbers by more than 1e-9 relative, anything else at all. */
function differences(got: unknown, want: unknown, path = '', out: string[] = []): string[] {
  if (typeof want === 'number' && typeof got === 'number') {
    const scale = Math.max(Math.abs(want), Math.abs(got));
    if (!(got === want || Math.abs(got - want) <= 1e-9 * scale)) out.push(`${path}: ${got} ≠ ${want}`);
  } else if (want && got && typeof want === 'object' && typeof got === 'object') {
    const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
    for (const k of keys) differences((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], `${path}.${k}`, out);
  } else if (got !== want) out.push(`${path}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
  return out;
}

function summary(fit: FitResult): unknown {
  const json = contextualArtifactToJson({ kind: 'contextual', timeColumn: 'timestamp', idColumn: 'building_id', model: fit.model });
  // Through JSON, as the golden file was written.
  return JSON.parse(JSON.stringify(goldenSummary(json, fit.training))) as unknown;
}

describe('the contextual fit, pinned', () => {
  const input = goldenInput();

  it('fits the model and training flags computed before the fitting path was made faster (1e-9 relative, flags exact)', () => {
    const got = summary(fitContextual(input, GOLDEN_NAMES, GOLDEN_OVERRIDES));
    expect(differences(got, golden)).toEqual([]);
    // The fixture covers what the fit path branches on: yearly terms, a building left to the fleet, flagged rows.
    expect(golden.model.detector.fleet[0]!.towt.seasonal).toBe(true);
    expect(golden.model.detector.buildings.filter((b) => b.meters === null)).toHaveLength(1);
    expect(golden.flagged.length).toBeGreaterThan(100);
  });

  it('fits the same from buildings, residual pass and fleet fitted apart (as the backend does on two threads)', () => {
    const settings = contextualSettings(GOLDEN_OVERRIDES);
    const { buildings, pass } = fitBuildingPass(input, settings);
    const fleet = fitFleet(input, settings, buildingBases(input, settings));
    const got = summary(fitContextual(input, GOLDEN_NAMES, GOLDEN_OVERRIDES, {}, { buildings, pass, fleet }));
    expect(differences(got, golden)).toEqual([]);
  });
});
