import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { ReportInputSchema } from '../../contract/ops/report';
import { REPORT_FORMATS } from '../../contract/shared/report';
import { checkRegistryDir } from '../../backend/registry/existing-dir';
import { parseCommandArgs, requiredArg, UsageError } from '../args';
import { CliBackend } from '../backend';
import { EXIT, type CliIo } from '../io';
import { findChromium, printPdf } from '../pdf';

export const reportHelp = `greenlens report   --registry DIR [--model M] [--from DATE --to DATE] --out FILE.html|FILE.pdf
  One self-contained report of a model: health and reasons, drift table and charts,
  performance, anomalies per day and per building, versions and the latest comparison,
  alerts of the period. DATE is YYYY-MM-DD or an ISO time (UTC); the period is in data
  time (the readings' own timestamps), --to exclusive. A .pdf is printed with Chromium
  (GREENLENS_CHROMIUM, else /usr/bin/chromium).`;

/** A date flag as epoch ms (UTC); a bare date is its midnight. */
export function dateFlag(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) ? iso : `${iso}Z`) : Number.NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`--${flag} must be a date (YYYY-MM-DD) or an ISO time, got "${raw}".`);
  return ms;
}

export async function reportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    registry: { type: 'string' },
    model: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
  });
  const out = resolve(requiredArg(values.out, 'out'));
  const ext = extname(out).toLowerCase().replace(/^\./, '');
  const format = ext === 'htm' ? 'html' : ext;
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--out must end in .html or .pdf, got "${values.out}".`);
  }
  const fromMs = dateFlag(values.from, 'from');
  const toMs = dateFlag(values.to, 'to');
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) throw new UsageError('--to must be after --from.');
  // Before any work: a PDF without Chromium is known to fail.
  const chromium = format === 'pdf' ? findChromium() : null;
  const registry = await checkRegistryDir(resolve(requiredArg(values.registry, 'registry')));
  const backend = new CliBackend(io, registry);
  const started = performance.now();
  const scratch = chromium ? await mkdtemp(join(tmpdir(), 'greenlens-report-')) : null;
  try {
    const input = ReportInputSchema.parse({
      ...(values.model ? { model: values.model } : {}),
      ...(fromMs !== undefined ? { fromMs } : {}),
      ...(toMs !== undefined ? { toMs } : {}),
      path: scratch ? join(scratch, 'report.html') : out,
    });
    const html = await backend.run('report.build', input);
    const bytes = chromium ? await printPdf(chromium, html.path, out) : html.bytes;
    const seconds = (performance.now() - started) / 1000;
    io.result({ path: out, format, bytes, model: html.model, sections: html.sections, seconds, htmlBytes: html.bytes });
    io.say(
      `Wrote the ${format.toUpperCase()} report of ${html.model} to ${out} (${bytes.toLocaleString('en-US')} bytes, ${seconds.toFixed(1)} s).`,
    );
    return EXIT.ok;
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
