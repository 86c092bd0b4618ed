import { join } from 'node:path';
import { GreenLensError } from '../../contract/shared/errors';
import {
  DASHBOARD_METRICS,
  DASHBOARDS_FORMAT,
  DASHBOARDS_FORMAT_VERSION,
  MAX_DASHBOARD_CHARTS,
  type Dashboard,
  type DashboardsFile,
} from '../../contract/shared/dashboards';
import { exists, writeFileAtomic } from '../registry/atomic';
import { promises as fs } from 'node:fs';

export const DASHBOARDS_FILE = 'dashboards.json';

export function dashboardsPath(root: string): string {
  return join(root, DASHBOARDS_FILE);
}

/** The one dashboard a fresh registry shows, empty. */
export function emptyDashboards(): DashboardsFile {
  return {
    format: DASHBOARDS_FORMAT,
    formatVersion: DASHBOARDS_FORMAT_VERSION,
    updatedAt: '',
    dashboards: [{ id: 'main', name: 'Main', charts: [] }],
  };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;

/**
 * Checks a parsed dashboards.json; throws `invalid_input` naming the file and
 * the first bad field. Used on load, on save and by `registry verify`, since the
 * file travels in archives and may have been edited by hand.
 */
export function checkDashboards(value: unknown, file: string): DashboardsFile {
  const bad = (field: string, message: string): never => {
    throw new GreenLensError('invalid_input', `${file}: ${field} ${message}`, { file, field });
  };
  if (!isObj(value)) return bad('(file)', 'is not a JSON object.');
  if (value.format !== DASHBOARDS_FORMAT) bad('format', `must be "${DASHBOARDS_FORMAT}".`);
  if (typeof value.formatVersion !== 'number' || value.formatVersion > DASHBOARDS_FORMAT_VERSION) {
    bad('formatVersion', `must be at most ${DASHBOARDS_FORMAT_VERSION} (the file is from a newer GreenLens?).`);
  }
  if (!Array.isArray(value.dashboards)) return bad('dashboards', 'must be a list.');
  const ids = new Set<string>();
  const dashboards = value.dashboards.map((d: unknown, i): Dashboard => {
    const at = `dashboards[${i}]`;
    if (!isObj(d) || !isText(d.id) || !isText(d.name) || !Array.isArray(d.charts))
      return bad(at, 'needs an id, a name and a list of charts.');
    if (ids.has(d.id)) bad(`${at}.id`, `"${d.id}" is used twice.`);
    ids.add(d.id);
    if (d.charts.length > MAX_DASHBOARD_CHARTS) bad(`${at}.charts`, `has more than ${MAX_DASHBOARD_CHARTS} charts.`);
    const chartIds = new Set<string>();
    const charts = d.charts.map((c: unknown, j) => {
      const cat = `${at}.charts[${j}]`;
      if (!isObj(c) || !isText(c.id) || !isText(c.model)) return bad(cat, 'needs an id and a model.');
      if (chartIds.has(c.id)) bad(`${cat}.id`, `"${c.id}" is used twice.`);
      chartIds.add(c.id);
      if (!(DASHBOARD_METRICS as readonly unknown[]).includes(c.metric))
        bad(`${cat}.metric`, `must be one of ${DASHBOARD_METRICS.join(', ')}.`);
      if (c.building !== null && !isText(c.building)) bad(`${cat}.building`, 'must be a building id or null.');
      const w = c.window;
      if (!isObj(w) || !Number.isInteger(w.lastN) || (w.lastN as number) < 1 || (w.lastN as number) > 100_000_000) {
        bad(`${cat}.window.lastN`, 'must be an integer between 1 and 100000000.');
      }
      return {
        id: c.id,
        metric: c.metric as Dashboard['charts'][number]['metric'],
        model: c.model,
        building: c.building as string | null,
        window: { lastN: (w as { lastN: number }).lastN },
      };
    });
    return { id: d.id, name: d.name, charts };
  });
  return { format: DASHBOARDS_FORMAT, formatVersion: DASHBOARDS_FORMAT_VERSION, updatedAt: String(value.updatedAt ?? ''), dashboards };
}

/** The registry's dashboards; a registry without the file has one empty dashboard. */
export async function readDashboards(root: string): Promise<DashboardsFile> {
  const file = dashboardsPath(root);
  if (!(await exists(file))) return emptyDashboards();
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new GreenLensError('invalid_input', `${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
  return checkDashboards(parsed, file);
}

/** Replaces the dashboards atomically (temp file, fsync, rename), after checking them. */
export async function writeDashboards(root: string, dashboards: Dashboard[], now = new Date()): Promise<DashboardsFile> {
  const file = dashboardsPath(root);
  const doc = checkDashboards(
    { format: DASHBOARDS_FORMAT, formatVersion: DASHBOARDS_FORMAT_VERSION, updatedAt: now.toISOString(), dashboards },
    file,
  );
  await writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n');
  return doc;
}
