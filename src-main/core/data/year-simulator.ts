import { BUILDING_KINDS, CLOSED_SHARE, KIND_PROFILES, occupancyShare, type BuildingKind } from './building-kinds';
import { dayOfYear } from './calendar';
import { createRng } from './rng';
import { buildingId, type SimulateHooks } from './simulator';
import type { Table } from './table';
import { HOUR_MS } from '../../contract/shared/time';

/**
 * Year simulator (issue 11): whole years of hourly readings for buildings of
 * different kinds, sizes and climates, with seasonal weather (yearly and
 * daily cycles plus multi-day weather swings), kind-specific schedules,
 * public and school holidays, a thermal lag that no simple regression
 * captures exactly, autocorrelated load noise, and faults labelled by type.
 *
 * Faults: `hvac_fault` (HVAC draws 1.6–2.4× for 4–12 h), `sensor_stuck` (the
 * temperature reading freezes for 6–30 h), `dropout` (the meter reads 0 for
 * 1–6 h), `spike` (plug load 3–6× for 1–2 h), `after_hours` (lights and plugs
 * at working level while the building is closed, 4–12 h, only where the
 * building closes) and `degradation` (HVAC and plugs drift upwards from +20 %
 * to +50 % over 3–10 days). `anomalyRate` is the labelled share of rows,
 * split evenly across the six types.
 */
export const FAULT_TYPES = ['hvac_fault', 'sensor_stuck', 'dropout', 'spike', 'after_hours', 'degradation'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];
export const YEAR_ANOMALY_TYPES = ['normal', ...FAULT_TYPES] as const;

export const YEAR_HOURS = 365 * 24;
export const DEFAULT_YEAR_START = Date.UTC(2025, 0, 1);

export interface YearSimulateOptions {
  buildings: number;
  /** Whole years of 365 days. */
  years: number;
  seed: number;
  anomalyRate: number;
  /** Kinds assigned round-robin to buildings (B01 the first kind, B02 the second, …). */
  kinds: readonly BuildingKind[];
  start: number;
}

/** [min, max] event length in hours. */
const FAULT_LENGTH: Record<FaultType, [number, number]> = {
  hvac_fault: [4, 12],
  sensor_stuck: [6, 30],
  dropout: [1, 6],
  spike: [1, 2],
  after_hours: [4, 12],
  degradation: [72, 240],
};

/**
 * Share of hours a kind is closed (measured over a simulated year), used so
 * `after_hours`, which can only start while closed, still reaches its share.
 */
function closedShare(kind: BuildingKind, start: number): number {
  let closed = 0;
  for (let h = 0; h < YEAR_HOURS; h++) if (occupancyShare(kind, start + h * HOUR_MS) <= CLOSED_SHARE) closed++;
  return closed / YEAR_HOURS;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

interface BuildingState {
  kind: BuildingKind;
  /** Index into the run's distinct kinds. */
  kindIndex: number;
  size: number;
  climateMean: number;
  climateAmp: number;
  weather: number;
  lagTemp: number;
  noise: number;
  fault: number; // index into FAULT_TYPES, -1 none
  left: number;
  length: number;
  factor: number;
  stuck: number;
}

export function simulateYears(opts: YearSimulateOptions, hooks: SimulateHooks = {}): Table {
  const { buildings, anomalyRate } = opts;
  if (opts.kinds.length === 0) throw new Error('at least one building kind is needed');
  const hours = opts.years * YEAR_HOURS;
  const n = buildings * hours;
  const rng = createRng(opts.seed);

  const kindList = [...new Set(opts.kinds)];
  const closed = new Map<BuildingKind, number>();
  for (const k of kindList) closed.set(k, closedShare(k, opts.start));
  const shareNow = new Float64Array(kindList.length);
  const perType = anomalyRate / FAULT_TYPES.length;
  const meanLength = FAULT_TYPES.map((f) => (FAULT_LENGTH[f][0] + FAULT_LENGTH[f][1]) / 2);
  // Events cannot overlap, so starts are drawn only in the (1 - rate) of hours without one.
  const free = Math.max(1e-9, 1 - anomalyRate);

  const state: BuildingState[] = [];
  const startP: Float64Array[] = [];
  for (let b = 0; b < buildings; b++) {
    const kind = opts.kinds[b % opts.kinds.length]!;
    const c = closed.get(kind)!;
    state.push({
      kind,
      kindIndex: kindList.indexOf(kind),
      size: Math.exp(Math.log(0.5) + rng.next() * Math.log(6)), // 0.5 … 3, log-uniform
      climateMean: 9 + 6 * rng.next(),
      climateAmp: 7 + 5 * rng.next(),
      weather: 0,
      lagTemp: NaN,
      noise: 0,
      fault: -1,
      left: 0,
      length: 0,
      factor: 1,
      stuck: 0,
    });
    startP.push(
      Float64Array.from(FAULT_TYPES, (f, i) => {
        if (f !== 'after_hours') return perType / (meanLength[i]! * free);
        return c > 0 ? perType / (meanLength[i]! * free * c) : 0;
      }),
    );
  }

  const timestamp = new Float64Array(n);
  const building = new Int32Array(n);
  const kindCode = new Int32Array(n);
  const temp = new Float64Array(n);
  const humidity = new Float64Array(n);
  const occupancy = new Float64Array(n);
  const hvac = new Float64Array(n);
  const lighting = new Float64Array(n);
  const plug = new Float64Array(n);
  const total = new Float64Array(n);
  const isAnomaly = new Float64Array(n);
  const anomalyType = new Int32Array(n);

  const progressEvery = 1 << 16;
  let row = 0;
  for (let h = 0; h < hours; h++) {
    const t = opts.start + h * HOUR_MS;
    const doy = dayOfYear(t);
    const hourOfDay = new Date(t).getUTCHours();
    const yearly = -Math.cos((2 * Math.PI * (doy - 15)) / 365); // coldest mid-January
    const daily = Math.cos((2 * Math.PI * (hourOfDay - 15)) / 24); // warmest 15:00
    const daylight = 1 + 0.15 * -yearly; // winter evenings need more light
    for (let k = 0; k < kindList.length; k++) shareNow[k] = occupancyShare(kindList[k]!, t);
    for (let b = 0; b < buildings; b++, row++) {
      const s = state[b]!;
      const p = KIND_PROFILES[s.kind];
      // Weather: an AR(1) swing with a few days' memory (sd ≈ 3 °C) on top of the cycles.
      s.weather = 0.985 * s.weather + 0.55 * rng.normal();
      const trueTemp = s.climateMean + s.climateAmp * yearly + (3 + yearly) * daily + s.weather;
      // The building's mass lags the air: HVAC answers a blend of now and the last day.
      s.lagTemp = Number.isNaN(s.lagTemp) ? trueTemp : 0.96 * s.lagTemp + 0.04 * trueTemp;
      const felt = 0.55 * trueTemp + 0.45 * s.lagTemp;
      const share = shareNow[s.kindIndex]!;
      const occFrac = Math.min(1, share * (0.9 + 0.2 * rng.next()));
      const running = share > 0.2;
      const heatNeed = Math.max(0, p.heatBelow - (running ? 0 : 4) - felt);
      const coolNeed = Math.max(0, felt - p.coolAbove - (running ? 0 : 4));
      s.noise = 0.75 * s.noise + 0.025 * rng.normal();
      const wobble = 1 + s.noise;
      let hv =
        s.size * ((running ? p.hvacOnKw : p.hvacOffKw) + (running ? 1 : 0.4) * (p.heatSlope * heatNeed + p.coolSlope * coolNeed ** 1.15));
      hv = Math.max(0, hv * wobble * (1 + 0.03 * rng.normal()));
      let li = Math.max(0, s.size * p.lightingKw * (0.08 + 0.92 * occFrac) * daylight * (1 + 0.02 * rng.normal()));
      let pl = Math.max(0, s.size * (p.baseKw + p.plugKw * (0.25 + 0.75 * occFrac)) * wobble * (1 + 0.03 * rng.normal()));
      let tempReading = trueTemp + 0.25 * rng.normal();
      const hum = Math.min(100, Math.max(5, 62 - 1.1 * s.weather - 8 * daily + 4 * rng.normal()));

      // Fault events: one draw per row whatever happens, so later rows never depend on outcomes here.
      const u = rng.next();
      const u2 = rng.next();
      const u3 = rng.next();
      if (s.left === 0) {
        let acc = 0;
        const probs = startP[b]!;
        for (let f = 0; f < FAULT_TYPES.length; f++) {
          acc += probs[f]!;
          if (u < acc) {
            const type = FAULT_TYPES[f]!;
            if (type === 'after_hours' && share > CLOSED_SHARE) break;
            const [lo, hi] = FAULT_LENGTH[type];
            s.fault = f;
            s.length = s.left = lo + Math.floor(u2 * (hi - lo + 1));
            s.factor = type === 'hvac_fault' ? 1.6 + 0.8 * u3 : type === 'spike' ? 3 + 3 * u3 : 1;
            s.stuck = round2(tempReading);
            break;
          }
        }
      }
      let type = -1;
      if (s.left > 0) {
        const f = FAULT_TYPES[s.fault]!;
        if (f === 'after_hours' && share > CLOSED_SHARE) {
          s.left = 0; // the building opened: the fault is over
        } else {
          type = s.fault;
          const step = s.length - s.left;
          s.left--;
          if (f === 'hvac_fault') hv *= s.factor;
          else if (f === 'spike') pl *= s.factor;
          else if (f === 'sensor_stuck') tempReading = s.stuck;
          else if (f === 'dropout') hv = li = pl = 0;
          else if (f === 'after_hours') {
            li = s.size * p.lightingKw * daylight * (1 + 0.02 * rng.normal());
            pl = s.size * (p.baseKw + p.plugKw) * wobble;
          } else {
            const k = 1.2 + (0.3 * step) / Math.max(1, s.length - 1);
            hv *= k;
            pl *= k;
          }
        }
      }

      timestamp[row] = t;
      building[row] = b;
      kindCode[row] = BUILDING_KINDS.indexOf(s.kind);
      temp[row] = round2(tempReading);
      humidity[row] = round2(hum);
      occupancy[row] = Math.round(200 * s.size * occFrac);
      hvac[row] = round2(hv);
      lighting[row] = round2(li);
      plug[row] = round2(pl);
      total[row] = round2(hvac[row]! + lighting[row]! + plug[row]!);
      isAnomaly[row] = type < 0 ? 0 : 1;
      anomalyType[row] = type + 1;
      if (hooks.progress && (row & (progressEvery - 1)) === 0) hooks.progress(row, n);
    }
  }
  hooks.progress?.(n, n);

  return {
    rowCount: n,
    columns: [
      { name: 'timestamp', kind: 'time', values: timestamp },
      { name: 'building_id', kind: 'category', codes: building, dictionary: Array.from({ length: buildings }, (_, i) => buildingId(i)) },
      { name: 'building_kind', kind: 'category', codes: kindCode, dictionary: [...BUILDING_KINDS] },
      { name: 'outdoor_temp_c', kind: 'number', values: temp },
      { name: 'humidity_pct', kind: 'number', values: humidity },
      { name: 'occupancy', kind: 'number', values: occupancy },
      { name: 'hvac_kw', kind: 'number', values: hvac },
      { name: 'lighting_kw', kind: 'number', values: lighting },
      { name: 'plug_load_kw', kind: 'number', values: plug },
      { name: 'total_kw', kind: 'number', values: total },
      { name: 'is_anomaly', kind: 'number', values: isAnomaly },
      { name: 'anomaly_type', kind: 'category', codes: anomalyType, dictionary: [...YEAR_ANOMALY_TYPES] },
    ],
  };
}
