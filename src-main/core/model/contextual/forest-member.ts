/**
 * The forest member's inputs and scores. Its features per reading (ARCHITECTURE
 * §5): each meter's scaled residual clipped to ±Z_CLIP (0 when there is none),
 * the hour of the day, the weekday, and the outdoor temperature (the fill
 * temperature when missing). Scoring writes them straight into the WebAssembly
 * walk's block (forest-walk-wasm.ts), a block of rows at a time, instead of
 * storing them as columns first; the values, and so the scores, are the same.
 */
import { scoreSamples } from '../isolation-forest';
import { scoreRowsWasm } from '../forest-walk-wasm';
import type { IForestModel } from '../types';
import type { ContextualInput } from './types';

const Z_CLIP = 20;

function clippedZ(z: number): number {
  return Number.isFinite(z) ? Math.max(-Z_CLIP, Math.min(Z_CLIP, z)) : 0;
}

function temperatureOrFill(t: number, fill: number): number {
  return Number.isFinite(t) ? t : fill;
}

/** The forest's input columns: clipped z per meter, hour of day, weekday, temperature. */
export function forestColumns(input: ContextualInput, z: Float64Array[], how: Int32Array, fillTemp: number): Float64Array[] {
  return [...residualColumns(z), ...contextColumns(input, how, fillTemp)];
}

/** The forest's columns of the scaled residuals (clipped; 0 where there is none). */
export function residualColumns(z: Float64Array[]): Float64Array[] {
  return z.map((zm) => {
    const n = zm.length;
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = clippedZ(zm[i]!);
    return c;
  });
}

/** The forest's context columns (hour, weekday, temperature filled with fillTemp): of the input alone, so a fit computes them once. */
export function contextColumns(input: ContextualInput, how: Int32Array, fillTemp: number): Float64Array[] {
  const n = input.time.length;
  const hour = new Float64Array(n);
  const weekday = new Float64Array(n);
  const temp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    hour[i] = how[i]! % 24;
    weekday[i] = Math.floor(how[i]! / 24);
    temp[i] = temperatureOrFill(input.temperature ? input.temperature[i]! : NaN, fillTemp);
  }
  return [hour, weekday, temp];
}

/** scoreSamples(forest, forestColumns(input, z, how, fillTemp)), bit for bit, without building the columns when the walk runs in WebAssembly. */
export function forestScores(
  forest: IForestModel,
  input: ContextualInput,
  z: Float64Array[],
  how: Int32Array,
  fillTemp: number,
): Float64Array {
  const n = input.time.length;
  const meters = z.length;
  const out = new Float64Array(n);
  const temperature = input.temperature;
  const written =
    forest.features.length === meters + 3 &&
    scoreRowsWasm(
      forest.trees,
      forest.subsample,
      meters + 3,
      0,
      n,
      (start, count, block, at, stride) => {
        const end = start + count;
        for (let m = 0; m < meters; m++) {
          const zm = z[m]!;
          const o = at + m * stride - start;
          for (let i = start; i < end; i++) block[o + i] = clippedZ(zm[i]!);
        }
        const hour = at + meters * stride - start;
        const weekday = hour + stride;
        const temp = weekday + stride;
        for (let i = start; i < end; i++) {
          block[hour + i] = how[i]! % 24;
          block[weekday + i] = Math.floor(how[i]! / 24);
          block[temp + i] = temperatureOrFill(temperature ? temperature[i]! : NaN, fillTemp);
        }
      },
      out,
    );
  return written ? out : scoreSamples(forest, forestColumns(input, z, how, fillTemp));
}
