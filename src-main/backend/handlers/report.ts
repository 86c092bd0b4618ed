import { resolve } from 'node:path';
import type { reportOps } from '../../contract/ops/report';
import { renderReportHtml, REPORT_SECTIONS } from '../../core/report/html';
import { writeFileAtomic } from '../../core/registry/atomic';
import { readDashboards, writeDashboards } from '../../core/dashboards/store';
import { withModel } from '../registry/pick-model';
import { currentRegistry } from '../registry-access';
import { exportReadings } from '../report/export-readings';
import { fleet } from '../report/fleet';
import { explanationSummary } from '../report/explanation-log';
import { gatherReport } from '../report/gather';
import type { Handlers } from './types';

export const reportHandlers: Handlers<keyof typeof reportOps> = {
  'report.build': async (args, ctx, state) => {
    const started = performance.now();
    const { model } = await withModel(await currentRegistry(state), args);
    const data = await gatherReport({ model, fromMs: args.fromMs, toMs: args.toMs }, ctx, state);
    ctx.progress('writing', 0, 1);
    const html = renderReportHtml(data);
    const path = resolve(args.path);
    const bytes = Buffer.byteLength(html);
    await writeFileAtomic(path, html);
    ctx.progress('writing', 1, 1);
    return { path, bytes, model, sections: [...REPORT_SECTIONS], elapsedMs: Math.round(performance.now() - started) };
  },
  'buildings.fleet': async (args, _ctx, state) => fleet(await withModel(await currentRegistry(state), args), state),
  'predictions.explanations': async (args, _ctx, state) => {
    const registry = await currentRegistry(state);
    const { model } = await withModel(registry, args);
    return explanationSummary(registry.dir, model, args.fromMs, args.toMs);
  },
  'dashboards.get': async (_args, _ctx, state) => readDashboards((await currentRegistry(state)).dir),
  'dashboards.save': async (args, _ctx, state) => writeDashboards((await currentRegistry(state)).dir, args.dashboards),
  'predictions.export': async (args, ctx, state) => {
    const registry = await currentRegistry(state);
    return exportReadings(registry.dir, await withModel(registry, args), ctx, state);
  },
};
