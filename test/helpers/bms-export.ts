/**
 * An independent building generator for checking that the contextual
 * detector's defaults generalise beyond core's year simulator (issue 11). It
 * shares no code or conventions with core/data: it writes what a European
 * BMS export looks like —
 *
 * - 15-minute readings stamped in local wall-clock time (`dd.mm.yyyy HH:MM`),
 *   with the DST changes as such exports have them: the spring hour missing,
 *   the autumn hour written twice;
 * - `;` separators and decimal commas; German column names outside our
 *   vocabulary (`Zeitstempel`, `Gebaeude`, `Wirkleistung_kW` or another power
 *   name, `Aussentemperatur`, `Raumtemperatur`);
 * - a 24/7 clinic, a school with its holidays, an office; gaps of a few days;
 * - labelled faults (kept apart from the file, as a person's own notes would
 *   be): over-consumption, a stuck outdoor sensor, meter dropout, a short
 *   spike and equipment left on while closed.
 */
import { createRng } from '../../src-main/core/data/rng';

export type BmsKind = 'clinic' | 'school' | 'office';
export const BMS_FAULTS = ['overconsumption', 'stuck_sensor', 'dropout', 'spike', 'left_on'] as const;
export type BmsFault = (typeof BMS_FAULTS)[number];

export interface BmsOptions {
  seed: number;
  /** Local calendar days from 1 January of `year`. */
  days: number;
  year: number;
  buildings: { name: string; kind: BmsKind; size: number }[];
  /** Name of the power column. */
  powerColumn?: string;
  /** Fault events per building per 30 days. */
  faultsPerMonth?: number;
}

export interface BmsRow {
  /** Local wall-clock time as epoch ms read as UTC (what the file says). */
  local: number;
  building: string;
  power: number;
  outdoor: number;
  room: number;
  fault: BmsFault | null;
}

const MIN15 = 900_000;
const DAY = 86_400_000;

/** Last Sunday of a month (0-based), as a UTC-midnight epoch of the local date. */
function lastSunday(year: number, month: number): number {
  const last = Date.UTC(year, month + 1, 0);
  return last - new Date(last).getUTCDay() * DAY;
}

function schoolHoliday(t: number): boolean {
  const d = new Date(t);
  const md = (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
  // Winter, Easter-ish, Whitsun, summer (six weeks), autumn and Christmas breaks.
  return (
    md <= 105 ||
    (md >= 327 && md <= 407) ||
    (md >= 520 && md <= 524) ||
    (md >= 715 && md <= 826) ||
    (md >= 1023 && md <= 1031) ||
    md >= 1221
  );
}

function publicHoliday(t: number): boolean {
  const d = new Date(t);
  const md = (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
  return [101, 501, 1003, 1225, 1226].includes(md);
}

/** Occupied share of a building at local time t. */
function occupied(kind: BmsKind, t: number): number {
  const d = new Date(t);
  const dow = d.getUTCDay();
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const workday = dow >= 1 && dow <= 5 && !publicHoliday(t);
  switch (kind) {
    case 'clinic':
      return hour >= 7 && hour < 21 ? 1 : 0.55;
    case 'school':
      return workday && !schoolHoliday(t) && hour >= 7.5 && hour < 16 ? 1 : 0;
    case 'office':
      return workday && hour >= 7 && hour < 18.5 ? (hour >= 8 && hour < 17 ? 1 : 0.5) : 0;
  }
}

export function generateBms(o: BmsOptions): BmsRow[] {
  const rng = createRng(o.seed);
  const start = Date.UTC(o.year, 0, 1);
  const end = start + o.days * DAY;
  // Weather per site: a yearly cycle, a daily cycle and a slow AR(1) swing (multi-day fronts).
  const steps = Math.round((end - start) / MIN15);
  const outdoor = new Float64Array(steps);
  let swing = 0;
  for (let k = 0; k < steps; k++) {
    const t = start + k * MIN15;
    const doy = (t - Date.UTC(new Date(t).getUTCFullYear(), 0, 1)) / DAY;
    const hour = new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60;
    swing = 0.998 * swing + 0.12 * rng.normal();
    outdoor[k] = 9.5 - 10 * Math.cos((2 * Math.PI * (doy - 15)) / 365) + 4 * Math.sin((2 * Math.PI * (hour - 9)) / 24) + swing;
  }
  const rows: BmsRow[] = [];
  for (const b of o.buildings) {
    const p = { clinic: [120, 60, 3.2, 4.5], school: [12, 70, 3.5, 0.8], office: [18, 80, 2.6, 3.4] }[b.kind];
    const [base, occ, heat, cool] = p.map((v) => v * b.size) as [number, number, number, number];
    // Thermal lag: the building feels the outdoor temperature smoothed over about a day.
    let felt = outdoor[0]!;
    let noise = 0;
    const power = new Float64Array(steps);
    const room = new Float64Array(steps);
    for (let k = 0; k < steps; k++) {
      const t = start + k * MIN15;
      felt += (outdoor[k]! - felt) / 96;
      const share = occupied(b.kind, t);
      const running = b.kind === 'clinic' || share > 0 ? 1 : 0.35;
      const hvac = running * (heat * Math.max(0, 14 - felt) + cool * Math.max(0, felt - 20));
      noise = 0.9 * noise + 0.02 * rng.normal();
      power[k] = Math.max(0, (base + occ * share + hvac) * (1 + noise));
      room[k] = 21 + (share > 0 ? 0.8 : -1.5) + 0.3 * rng.normal();
    }
    // Faults, none in the first week.
    const fault: (BmsFault | null)[] = new Array<BmsFault | null>(steps).fill(null);
    const stuckOutdoor = Float64Array.from(outdoor);
    const events = Math.round(((o.faultsPerMonth ?? 3) * o.days) / 30);
    for (let e = 0; e < events; e++) {
      const type = BMS_FAULTS[e % BMS_FAULTS.length]!;
      let at = 672 + Math.floor(rng.next() * (steps - 800));
      const len = {
        overconsumption: 16 + Math.floor(rng.next() * 24),
        stuck_sensor: 32 + Math.floor(rng.next() * 64),
        dropout: 4 + Math.floor(rng.next() * 12),
        spike: 1 + Math.floor(rng.next() * 3),
        left_on: 16 + Math.floor(rng.next() * 24),
      }[type];
      if (type === 'left_on') {
        if (b.kind === 'clinic') continue;
        // Start at 20:00 local on the same day: lights and plugs on overnight.
        at = Math.floor(at / 96) * 96 + 80;
      }
      if (at + len >= steps || fault.slice(at - 8, at + len + 8).some((f) => f !== null)) continue;
      for (let k = at; k < at + len; k++) {
        fault[k] = type;
        if (type === 'overconsumption') power[k]! *= 1.45;
        else if (type === 'stuck_sensor') stuckOutdoor[k] = stuckOutdoor[at]!;
        else if (type === 'dropout') power[k] = 0;
        else if (type === 'spike') power[k]! += 2.5 * (base + occ);
        else power[k]! += 0.8 * occ;
      }
    }
    for (let k = 0; k < steps; k++)
      rows.push({
        local: start + k * MIN15,
        building: b.name,
        power: power[k]!,
        outdoor: stuckOutdoor[k]!,
        room: room[k]!,
        fault: fault[k]!,
      });
  }
  // Gaps of a few days per building (the logger was down), then the DST changes of local time.
  const gapped = rows.filter((r) => {
    const day = Math.floor((r.local - start) / DAY);
    const bi = o.buildings.findIndex((b) => b.name === r.building);
    return !(day % 97 === 40 + bi * 7 || day % 97 === 41 + bi * 7 || day % 97 === 42 + bi * 7);
  });
  const out: BmsRow[] = [];
  for (const r of gapped) {
    const y = new Date(r.local).getUTCFullYear();
    const spring = lastSunday(y, 2) + 2 * 3_600_000;
    const autumn = lastSunday(y, 9) + 2 * 3_600_000;
    if (r.local >= spring && r.local < spring + 3_600_000) continue; // 02:00–02:45 do not exist in spring
    out.push(r);
    // In autumn 02:00–02:45 happen twice: the export writes the second hour with the same wall-clock stamps.
    if (r.local >= autumn && r.local < autumn + 3_600_000) out.push({ ...r, power: r.power * (1 + 0.01 * rng.normal()) });
  }
  return out;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** The rows as a BMS export: `;`-separated, decimal commas, local `dd.mm.yyyy HH:MM` stamps. */
export function bmsCsv(rows: readonly BmsRow[], powerColumn = 'Wirkleistung_kW'): string {
  const num = (v: number, digits: number): string => v.toFixed(digits).replace('.', ',');
  const lines = [`Zeitstempel;Gebaeude;${powerColumn};Aussentemperatur;Raumtemperatur`];
  for (const r of rows) {
    const d = new Date(r.local);
    const stamp = `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
    lines.push(`${stamp};${r.building};${num(r.power, 2)};${num(r.outdoor, 1)};${num(r.room, 1)}`);
  }
  return lines.join('\n') + '\n';
}
