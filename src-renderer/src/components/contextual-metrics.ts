/**
 * A contextual version's flat metrics (ARCHITECTURE §5: `member_<name>_<figure>`,
 * `recall_<fault type>`, `building_<id>_<figure>`) read back as the tables the
 * Models and Performance tabs show. One reading, so both tabs agree.
 */
type Metrics = Record<string, number | null | undefined>;

export interface MemberRow {
  name: string;
  weight: number | null;
  /** Share of training readings this member alone would flag at the ensemble threshold. */
  flagged: number | null;
  rocAuc: number | null;
  recall: number | null;
}

export interface BuildingRow {
  id: string;
  anomalyRate: number | null;
  f1: number | null;
  /** true: too little history, scored with the fleet baseline; null: not recorded (older versions). */
  fleet: boolean | null;
}

const MEMBER = /^member_([A-Za-z]+)_(weight|flagged|rocAuc|recall)$/;
const BUILDING = /^building_(.+)_(anomalyRate|f1|fleet)$/;
const TYPE = /^recall_(.+)$/;
/** Feature importance and the members' share of flags: the Models tab's importance panel shows them (components/importance-metrics.ts). */
const IMPORTANCE = /^(importance|permutationImportance)_|^member_[A-Za-z]+_led$|^importance(Flagged|Rows)$/;

/** True for the per-member, per-type, per-building and importance figures (shown in their own tables, not the plain metric list). */
export function isBreakdownMetric(name: string): boolean {
  return MEMBER.test(name) || BUILDING.test(name) || TYPE.test(name) || IMPORTANCE.test(name);
}

const num = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Ensemble members in the order they were recorded. */
export function memberRows(m: Metrics): MemberRow[] {
  const rows = new Map<string, MemberRow>();
  for (const [k, v] of Object.entries(m)) {
    const hit = MEMBER.exec(k);
    if (!hit) continue;
    const name = hit[1]!;
    const row = rows.get(name) ?? { name, weight: null, flagged: null, rocAuc: null, recall: null };
    row[hit[2] as 'weight' | 'flagged' | 'rocAuc' | 'recall'] = num(v);
    rows.set(name, row);
  }
  return [...rows.values()];
}

/** Recall per labelled fault type, by type name. */
export function typeRecalls(m: Metrics): { type: string; recall: number | null }[] {
  return Object.entries(m)
    .flatMap(([k, v]) => {
      const hit = TYPE.exec(k);
      return hit ? [{ type: hit[1]!, recall: num(v) }] : [];
    })
    .sort((a, b) => a.type.localeCompare(b.type));
}

/** One row per building, sorted by id. */
export function buildingRows(m: Metrics): BuildingRow[] {
  const rows = new Map<string, BuildingRow>();
  for (const [k, v] of Object.entries(m)) {
    const hit = BUILDING.exec(k);
    if (!hit) continue;
    const id = hit[1]!;
    const row = rows.get(id) ?? { id, anomalyRate: null, f1: null, fleet: null };
    if (hit[2] === 'fleet') row.fleet = v === null || v === undefined ? null : v === 1;
    else row[hit[2] as 'anomalyRate' | 'f1'] = num(v);
    rows.set(id, row);
  }
  return [...rows.values()].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}
