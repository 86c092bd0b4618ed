import { BUILDING_KINDS, type BuildingKind } from '../../contract/shared/data';
import { isPublicHoliday, isSchoolHoliday, weekdayOf } from './calendar';

export { BUILDING_KINDS, type BuildingKind };

/**
 * Building kinds for the year simulator: each has its own opening schedule
 * and its own mix of loads. Occupancy is a share in [0, 1]; a building is
 * "closed" (where lights and plugs left on are a fault) when it is at or
 * below CLOSED_SHARE.
 */

export const CLOSED_SHARE = 0.05;

export interface KindProfile {
  /** Always-on load (servers, fridges, pumps), kW per unit of size. */
  baseKw: number;
  lightingKw: number;
  plugKw: number;
  /** HVAC when the system runs (occupied) and in setback. */
  hvacOnKw: number;
  hvacOffKw: number;
  /** Balance points (°C) and slopes (kW/°C per unit size). */
  heatBelow: number;
  coolAbove: number;
  heatSlope: number;
  coolSlope: number;
}

export const KIND_PROFILES: Record<BuildingKind, KindProfile> = {
  office: {
    baseKw: 6,
    lightingKw: 18,
    plugKw: 26,
    hvacOnKw: 10,
    hvacOffKw: 2,
    heatBelow: 15,
    coolAbove: 21,
    heatSlope: 1.1,
    coolSlope: 1.6,
  },
  school: {
    baseKw: 4,
    lightingKw: 22,
    plugKw: 14,
    hvacOnKw: 12,
    hvacOffKw: 1.5,
    heatBelow: 16,
    coolAbove: 23,
    heatSlope: 1.4,
    coolSlope: 0.9,
  },
  retail: {
    baseKw: 10,
    lightingKw: 30,
    plugKw: 20,
    hvacOnKw: 14,
    hvacOffKw: 3,
    heatBelow: 14,
    coolAbove: 20,
    heatSlope: 1.0,
    coolSlope: 2.0,
  },
  hospital: {
    baseKw: 40,
    lightingKw: 20,
    plugKw: 30,
    hvacOnKw: 25,
    hvacOffKw: 18,
    heatBelow: 17,
    coolAbove: 21,
    heatSlope: 1.5,
    coolSlope: 1.8,
  },
};

function officeShare(hour: number, working: boolean): number {
  if (!working) return 0.03;
  if (hour >= 9 && hour < 17) return 1;
  if (hour === 8 || hour === 17) return 0.6;
  if (hour === 7 || hour === 18) return 0.25;
  return 0.03;
}

function schoolShare(hour: number, schoolDay: boolean): number {
  if (!schoolDay) return 0.02;
  if (hour >= 8 && hour < 15) return 1;
  if (hour === 7 || hour === 15) return 0.5;
  if (hour === 16) return 0.25;
  return 0.02;
}

/** Retail opens every day but Sunday is short; closed on Christmas and New Year's Day. */
function retailShare(hour: number, dow: number, closedDay: boolean): number {
  if (closedDay) return 0.04;
  const [open, close] = dow === 0 ? [11, 18] : [9, 21];
  if (hour >= open && hour < close) return hour >= 15 && hour < 19 ? 1 : 0.75;
  if (hour === open - 1 || hour === close) return 0.3;
  return 0.04;
}

function hospitalShare(hour: number): number {
  return hour >= 8 && hour < 20 ? 1 : 0.6;
}

/** Occupancy share of a kind at epoch ms `t` (UTC hour). */
export function occupancyShare(kind: BuildingKind, t: number): number {
  const hour = new Date(t).getUTCHours();
  const dow = weekdayOf(t);
  const weekday = dow >= 1 && dow <= 5;
  switch (kind) {
    case 'office':
      return officeShare(hour, weekday && !isPublicHoliday(t));
    case 'school':
      return schoolShare(hour, weekday && !isPublicHoliday(t) && !isSchoolHoliday(t));
    case 'retail': {
      const d = new Date(t);
      const md = (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
      return retailShare(hour, dow, md === 101 || md === 1225);
    }
    case 'hospital':
      return hospitalShare(hour);
  }
}
