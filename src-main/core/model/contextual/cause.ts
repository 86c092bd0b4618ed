/**
 * What a flag most likely means, in words: the member and feature that drove
 * the score mapped to a fault type, and one sentence an engineer can check
 * ("hvac_kw 2.1× expected for 14:00 Tuesday at 27 °C").
 */
import { MEMBERS, RULES, type ContextualModel, type ContextualScores } from './types';
import { hourOfWeek } from './towt';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const HVAC = /hvac|heat|cool|chill|ahu|fan|boiler|pump/i;
const PLUG = /plug|socket|equipment/i;
const LIGHT = /light/i;

export interface Cause {
  member: string;
  /** The column behind it. */
  feature: string;
  likelyFault: string | null;
  text: string;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 100) / 100) : 'n/a';
}

function context(model: ContextualModel, time: number, temp: number): string {
  const how = hourOfWeek(time);
  const hour = String(how % 24).padStart(2, '0');
  const unit =
    model.temperature && /_c$|celsius/i.test(model.temperature)
      ? ' °C'
      : model.temperature && /_f$|fahrenheit/i.test(model.temperature)
        ? ' °F'
        : '';
  const at = model.temperature && Number.isFinite(temp) ? ` at ${Math.round(temp)}${unit}` : '';
  return `${hour}:00 ${WEEKDAYS[Math.floor(how / 24)]}${at}`;
}

/** The fault a too-high reading on `meter` suggests; `closed` = the baseline calls this slot unoccupied. */
function overConsumption(meter: string, closed: boolean): string {
  if (HVAC.test(meter)) return 'hvac_fault';
  if ((PLUG.test(meter) || LIGHT.test(meter)) && closed) return 'after_hours';
  if (PLUG.test(meter)) return 'spike';
  return closed ? 'after_hours' : 'spike';
}

/**
 * Cause of row `i`. `values` are the meters then the stuck columns (as
 * scored), `time` and `temp` the row's context, `closed` whether the row's
 * slot is unoccupied in its baseline.
 */
export function causeOf(
  model: ContextualModel,
  s: ContextualScores,
  i: number,
  values: { meters: number[]; stuck: number[] },
  time: number,
  temp: number,
  closed: boolean,
): Cause {
  const member = MEMBERS[s.member[i]!]!;
  const f = s.feature[i]!;
  const meters = model.meters;
  const feature = f < meters.length ? meters[f]! : (model.stuckColumns[f - meters.length] ?? '');
  const when = context(model, time, temp);
  const expected = f < meters.length ? s.expected[f]![i]! : NaN;
  const actual = f < meters.length ? values.meters[f]! : values.stuck[f - meters.length]!;
  const ratio = expected > 0 ? actual / expected : NaN;
  const rule = RULES[s.rule[i]!];
  if (member === 'rules' && rule === 'stuck') {
    return {
      member,
      feature,
      likelyFault: 'sensor_stuck',
      text: `${feature} has repeated ${fmt(actual)} for ${model.settings.stuckHours} h or more (stuck sensor?), ${when}`,
    };
  }
  if (member === 'rules' && rule === 'dropout') {
    return {
      member,
      feature,
      likelyFault: 'dropout',
      text: `${feature} reads ${fmt(actual)} where ${fmt(expected)} is expected for ${when} (meter dropout?)`,
    };
  }
  if (member === 'rules') {
    const up = s.z[f]![i]! > 0;
    return {
      member,
      feature,
      likelyFault: up ? 'spike' : 'dropout',
      text: `${feature} jumped ${up ? 'up' : 'down'} to ${fmt(actual)} (expected ${fmt(expected)}) for ${when}`,
    };
  }
  if (member === 'sustained') {
    return {
      member,
      feature,
      likelyFault: 'degradation',
      text: `${feature} has run above its baseline for the last ${model.settings.windowHours} h (now ${fmt(ratio)}× expected for ${when}): gradual degradation?`,
    };
  }
  // Residual or forest: over-consumption of the meter with the largest scaled residual; a total points to its worst component.
  let worst = f < meters.length ? f : 0;
  if (member === 'forest') for (let m = 0; m < meters.length; m++) if (s.z[m]![i]! > s.z[worst]![i]!) worst = m;
  let blamed = meters[worst]!;
  if (/total|main|whole|site/i.test(blamed)) {
    let best = -Infinity;
    for (let m = 0; m < meters.length; m++) {
      if (m !== worst && s.z[m]![i]! > best && !/total|main|whole|site/i.test(meters[m]!)) {
        best = s.z[m]![i]!;
        blamed = meters[m]!;
      }
    }
  }
  const e = s.expected[worst]![i]!;
  const r = e > 0 ? values.meters[worst]! / e : NaN;
  const fault = s.z[worst]![i]! > 0 ? overConsumption(blamed, closed) : null;
  const lead = `${meters[worst]} ${fmt(r)}× expected for ${when}`;
  const text =
    member === 'forest'
      ? `unusual combination of readings and context (${lead})`
      : blamed !== meters[worst]
        ? `${lead}, mostly ${blamed}`
        : lead;
  return { member, feature: meters[worst]!, likelyFault: fault, text };
}
