import { SEED, type DriftScenario } from '../../contract/shared/data';
import { dayOfYear, weekdayOf } from './calendar';
import { createRng, type Rng } from './rng';
import type { Table } from './table';
import { HOUR_MS } from '../../contract/shared/time';

/**
 * Building energy simulator (ARCHITECTURE §5): hourly readings per building with
 * daily and weekly cycles, weather-driven HVAC load, injected anomalies and
 * optional drift scenarios.
 *
 * Determinism: the random stream is consumed in exactly the same order whatever
 * the drift scenario, so a scenario changes only the columns it is meant to
 * change and every other column is bit-identical to the `none` run.
 */
export interface SimulateOptions {
  buildings: number;
  days: number;
  seed: number;
  anomalyRate: number;
  drift: DriftScenario;
  /** First timestamp, epoch ms (UTC). */
  start: number;
}

export const SIM_FEATURES = ['outdoor_temp_c', 'humidity_pct', 'occupancy', 'hvac_kw', 'lighting_kw', 'plug_load_kw', 'total_kw'] as const;

export const ANOMALY_TYPES = ['normal', 'spike', 'hvac_fault', 'sensor_stuck', 'dropout'] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];

/** Columns each drift scenario is meant to move; every other column stays identical. */
export const DRIFT_EFFECTS: Record<DriftScenario, readonly string[]> = {
  none: [],
  heatwave: ['outdoor_temp_c', 'hvac_kw', 'total_kw'],
  equipment: ['hvac_kw', 'plug_load_kw', 'total_kw'],
  'sensor-degradation': ['outdoor_temp_c', 'humidity_pct'],
};

export const DEFAULT_START = Date.UTC(2025, 0, 6); // a Monday

// Mean event length in hours, per type (spike, hvac_fault, sensor_stuck, dropout).
const EVENT_LENGTH: Record<Exclude<AnomalyType, 'normal'>, [number, number]> = {
  spike: [1, 1],
  hvac_fault: [3, 8],
  sensor_stuck: [4, 10],
  dropout: [1, 3],
};
const EVENT_TYPES = ['spike', 'hvac_fault', 'sensor_stuck', 'dropout'] as const;
const MEAN_EVENT_LENGTH = EVENT_TYPES.reduce((s, t) => s + (EVENT_LENGTH[t][0] + EVENT_LENGTH[t][1]) / 2, 0) / EVENT_TYPES.length;

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Occupancy share by hour of day for working days; weekends stay near empty. */
function occupancyProfile(hourOfDay: number, weekday: boolean): number {
  if (!weekday) return hourOfDay >= 10 && hourOfDay < 16 ? 0.12 : 0.03;
  if (hourOfDay >= 9 && hourOfDay < 17) return 1;
  if (hourOfDay === 8 || hourOfDay === 17) return 0.55;
  if (hourOfDay === 7 || hourOfDay === 18) return 0.2;
  return 0.03;
}

export function buildingId(index: number): string {
  return `B${String(index + 1).padStart(2, '0')}`;
}

export interface SimulateHooks {
  /** Called every few thousand rows; may throw to abort (cancellation). */
  progress?(done: number, total: number): void;
}

export function simulate(opts: SimulateOptions, hooks: SimulateHooks = {}): Table {
  const { buildings, days, anomalyRate, drift } = opts;
  const hours = days * 24;
  const n = buildings * hours;
  const rng = createRng(opts.seed);

  const heat = drift === 'heatwave' ? 1 : 0;
  const equip = drift === 'equipment' ? 1 : 0;
  const sensor = drift === 'sensor-degradation' ? 1 : 0;

  // Per-building physical parameters.
  const scale = new Float64Array(buildings);
  const hvacBase = new Float64Array(buildings);
  const hvacSens = new Float64Array(buildings);
  const tempOffset = new Float64Array(buildings);
  const capacity = new Float64Array(buildings);
  // The buildings themselves (size, HVAC sensitivity, temperature offset) come from the default seed's generator, whatever
  // the seed: a seed is another stretch of readings from the same fleet, so a model trained on one seed can score
  // another's. Before, B01 of seed 9 was another building than B01 of seed 42, and a week of it was a quarter flagged.
  // (The year profile's buildings still come from its seed: its pinned fits and replay figures are measured on them.)
  const fleet = createRng(SEED.default);
  const drawBuilding = (r: Rng): { s: number; sens: number; offset: number } => ({
    s: 0.6 + 0.8 * r.next(),
    sens: 1.2 + 0.6 * r.next(),
    offset: r.normal() * 1.2,
  });
  for (let b = 0; b < buildings; b++) {
    const { s, sens, offset } = drawBuilding(fleet);
    // Drawn again from the seed's generator and dropped: its weather, noise and faults stay what they were for every seed.
    drawBuilding(rng);
    scale[b] = s;
    hvacBase[b] = 8 * s;
    hvacSens[b] = sens * s;
    tempOffset[b] = offset;
    capacity[b] = Math.round(200 * s);
  }

  const timestamp = new Float64Array(n);
  const building = new Int32Array(n);
  const temp = new Float64Array(n);
  const humidity = new Float64Array(n);
  const occupancy = new Float64Array(n);
  const hvac = new Float64Array(n);
  const lighting = new Float64Array(n);
  const plug = new Float64Array(n);
  const total = new Float64Array(n);
  const isAnomaly = new Float64Array(n);
  const anomalyType = new Int32Array(n);

  // Per-building anomaly event state.
  const eventLeft = new Int32Array(buildings);
  const eventType = new Int32Array(buildings);
  const eventFactor = new Float64Array(buildings);
  const stuckValue = new Float64Array(buildings);
  const pStart = anomalyRate > 0 ? anomalyRate / (MEAN_EVENT_LENGTH * Math.max(1e-9, 1 - anomalyRate)) : 0;

  let weatherNoise = 0;
  const progressEvery = 1 << 16;
  let row = 0;
  for (let h = 0; h < hours; h++) {
    const t = opts.start + h * HOUR_MS;
    const dayIndex = dayOfYear(t);
    const hourOfDay = new Date(t).getUTCHours();
    const dow = weekdayOf(t); // 0 = Sunday
    const weekday = dow >= 1 && dow <= 5;
    const seasonal = 11 - 10 * Math.cos((2 * Math.PI * (dayIndex - 15)) / 365);
    const daily = Math.cos((2 * Math.PI * (hourOfDay - 15)) / 24); // peak at 15:00
    weatherNoise = 0.9 * weatherNoise + 0.6 * rng.normal();
    const progressShare = hours > 1 ? h / (hours - 1) : 0;
    const occShare = occupancyProfile(hourOfDay, weekday);

    for (let b = 0; b < buildings; b++, row++) {
      const s = scale[b]!;
      // A heatwave is hot whatever the season: 33 °C days with 39 °C afternoons.
      const usualTemp = seasonal + 5 * daily + weatherNoise + tempOffset[b]!;
      const trueTemp = heat ? 33 + 6 * daily + weatherNoise + tempOffset[b]! : usualTemp;
      const occFrac = Math.min(1, occShare * (0.85 + 0.3 * rng.next()));
      const occ = Math.round(capacity[b]! * occFrac);
      const cooling = Math.max(0, trueTemp - 22);
      const heating = Math.max(0, 16 - trueTemp);
      let hv = hvacBase[b]! * (0.4 + 0.6 * occFrac) + hvacSens[b]! * (1.3 * cooling + 0.6 * heating) + 0.5 * s * rng.normal();
      hv = Math.max(0, hv) * (1 + 0.3 * equip);
      let li = Math.max(0, 20 * s * (0.1 + 0.9 * occFrac) + 0.3 * rng.normal());
      let pl = Math.max(0, 30 * s * (0.25 + 0.75 * occFrac) + 0.5 * rng.normal()) * (1 + 0.2 * equip);
      const tempNoise = rng.normal();
      const humNoise = rng.normal();
      const sensorNoise = rng.normal();
      const sensorHumNoise = rng.normal();
      let tempReading = trueTemp + 0.3 * tempNoise + sensor * (4 * progressShare + 2.5 * sensorNoise);
      const hum = Math.min(100, Math.max(5, 60 - 1.2 * (usualTemp - seasonal) + 5 * humNoise + sensor * 8 * sensorHumNoise));

      // Anomaly events: the draw happens every row so the stream never depends on outcomes elsewhere.
      const u = rng.next();
      if (eventLeft[b] === 0 && u < pStart) {
        const type = 1 + rng.int(4);
        const [lo, hi] = EVENT_LENGTH[EVENT_TYPES[type - 1]!];
        eventType[b] = type;
        eventLeft[b] = lo + rng.int(hi - lo + 1);
        eventFactor[b] = type === 1 ? 2.5 + 1.5 * rng.next() : 1.8 + 0.8 * rng.next();
        stuckValue[b] = round2(tempReading);
      }
      let type = 0;
      if (eventLeft[b]! > 0) {
        type = eventType[b]!;
        eventLeft[b]!--;
        if (type === 1) pl *= eventFactor[b]! * 2;
        else if (type === 2) hv *= eventFactor[b]!;
        else if (type === 3) tempReading = stuckValue[b]!;
        else {
          hv = 0;
          li = 0;
          pl = 0;
        }
      }

      timestamp[row] = t;
      building[row] = b;
      temp[row] = round2(tempReading);
      humidity[row] = round2(hum);
      occupancy[row] = occ;
      hvac[row] = round2(hv);
      lighting[row] = round2(li);
      plug[row] = round2(pl);
      total[row] = round2(hvac[row]! + lighting[row]! + plug[row]!);
      isAnomaly[row] = type === 0 ? 0 : 1;
      anomalyType[row] = type;
      if (hooks.progress && (row & (progressEvery - 1)) === 0) hooks.progress(row, n);
    }
  }
  hooks.progress?.(n, n);

  return {
    rowCount: n,
    columns: [
      { name: 'timestamp', kind: 'time', values: timestamp },
      { name: 'building_id', kind: 'category', codes: building, dictionary: Array.from({ length: buildings }, (_, i) => buildingId(i)) },
      { name: 'outdoor_temp_c', kind: 'number', values: temp },
      { name: 'humidity_pct', kind: 'number', values: humidity },
      { name: 'occupancy', kind: 'number', values: occupancy },
      { name: 'hvac_kw', kind: 'number', values: hvac },
      { name: 'lighting_kw', kind: 'number', values: lighting },
      { name: 'plug_load_kw', kind: 'number', values: plug },
      { name: 'total_kw', kind: 'number', values: total },
      { name: 'is_anomaly', kind: 'number', values: isAnomaly },
      { name: 'anomaly_type', kind: 'category', codes: anomalyType, dictionary: [...ANOMALY_TYPES] },
    ],
  };
}
